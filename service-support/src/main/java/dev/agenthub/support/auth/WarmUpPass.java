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
 * speaks for {@link #PRINCIPAL}, a user who sees only the {@value #WORKSPACE} workspace,
 * so even a leaked pass reaches no tenant's data; while closed (always, outside a
 * warm-up) nothing matches it.
 */
public final class WarmUpPass {

	/** The only workspace warm-up clients see. */
	public static final String WORKSPACE = "hub-warm-up";

	/** Who warm-up clients are. */
	public static final String SUBJECT = "hub-warm-up";

	private static final SecureRandom RANDOM = new SecureRandom();

	private volatile byte[] pass;

	private volatile Instant expiresAt;

	/**
	 * Makes a new pass, valid until {@link #close()} or {@code until}.
	 * @param until when the pass stops working at the latest
	 * @return the pass to present as a token
	 */
	public synchronized String open(Instant until) {
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String token = "warm-up." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.expiresAt = until;
		this.pass = token.getBytes(StandardCharsets.US_ASCII);
		return token;
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
		Instant until = this.expiresAt;
		if (!MessageDigest.isEqual(open, token.getBytes(StandardCharsets.US_ASCII)) || Instant.now().isAfter(until)) {
			return null;
		}
		return new HubPrincipal(SUBJECT, Set.of(Role.USER), Set.of(WORKSPACE), null, null, until);
	}

}
