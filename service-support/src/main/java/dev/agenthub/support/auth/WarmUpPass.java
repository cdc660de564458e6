package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import dev.agenthub.contracts.auth.Role;

/**
 * The one credential a service's own warm-up clients present to it over loopback before
 * it reports ready: a random 256-bit pass, made when the warm-up {@linkplain #open()
 * opens} and forgotten when it {@linkplain #close() closes}, never written anywhere. It
 * speaks for the user {@value #SUBJECT}, who sees only the warm-up's own workspaces
 * ({@value #WORKSPACE} and {@value #WORKSPACE}{@code -0} … {@code -255}), so even a
 * leaked pass reaches no tenant's data; while closed (always, outside a warm-up) nothing
 * matches it.
 */
public final class WarmUpPass {

	/** The warm-up's shared workspace; its own ones are named after it. */
	public static final String WORKSPACE = "hub-warm-up";

	/** Workspaces of the warm-up's own: each client resumes on one of them. */
	public static final int CHANNELS = 256;

	/** The channel every warm-up client shares. */
	public static final String SHARED_CHANNEL = "workspace:" + WORKSPACE;

	/** Who warm-up clients are. */
	public static final String SUBJECT = "hub-warm-up";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Set<String> WORKSPACES;

	static {
		Set<String> workspaces = new java.util.HashSet<>();
		workspaces.add(WORKSPACE);
		for (int i = 0; i < CHANNELS; i++) {
			workspaces.add(WORKSPACE + "-" + i);
		}
		WORKSPACES = Set.copyOf(workspaces);
	}

	private volatile byte[] pass;

	private volatile HubPrincipal principal;

	/**
	 * Makes a new pass, valid until {@link #close()} or {@code until}.
	 * @param until when the pass stops working at the latest
	 * @return the pass to present as a token
	 */
	public synchronized String open(Instant until) {
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String token = "warm-up." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.principal = new HubPrincipal(SUBJECT, Set.of(Role.USER), WORKSPACES, null, null, until);
		this.pass = token.getBytes(StandardCharsets.US_ASCII);
		return token;
	}

	/**
	 * The channel of one of the warm-up's own workspaces.
	 * @param i its number, 0 … {@link #CHANNELS} − 1
	 * @return {@code workspace:hub-warm-up-i}
	 */
	public static String channel(int i) {
		return "workspace:" + WORKSPACE + "-" + i;
	}

	/** Forgets the pass: nothing matches any more. */
	public synchronized void close() {
		this.pass = null;
	}

	/**
	 * The warm-up principal when {@code token} is the open pass, else {@code null}.
	 * @param token a presented token
	 * @return the principal, or {@code null}
	 */
	HubPrincipal admit(String token) {
		byte[] open = this.pass;
		if (open == null || token.length() != open.length) {
			return null;
		}
		HubPrincipal admitted = this.principal;
		if (!MessageDigest.isEqual(open, token.getBytes(StandardCharsets.US_ASCII))
				|| Instant.now().isAfter(admitted.expiresAt())) {
			return null;
		}
		return admitted;
	}

}
