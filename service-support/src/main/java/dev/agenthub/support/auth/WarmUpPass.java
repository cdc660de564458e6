package dev.agenthub.support.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agenthub.contracts.auth.Role;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The one credential a service's own warm-up clients present to it over loopback before
 * it reports ready: a JWT signed with a key of 256 random bits that is made when the
 * warm-up {@linkplain #open(Instant) opens}, forgotten when it {@linkplain #close()
 * closes}, and never written anywhere. It is verified as a hub token is (the same
 * decoder, validators and claim conversion, so a warm-up runs that code too), and speaks
 * for the user {@value #SUBJECT}, who sees only the warm-up's own workspaces
 * ({@value #WORKSPACE} and {@value #WORKSPACE}{@code -0} … {@code -255}) whatever the
 * token says: even a leaked pass reaches no tenant's data. While closed (always, outside
 * a warm-up) nothing is a pass.
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
		Set<String> workspaces = new HashSet<>();
		workspaces.add(WORKSPACE);
		for (int i = 0; i < CHANNELS; i++) {
			workspaces.add(WORKSPACE + "-" + i);
		}
		WORKSPACES = Set.copyOf(workspaces);
	}

	private final HubAuthProperties properties;

	private volatile @Nullable Open open;

	/**
	 * @param properties the hub's token settings: a pass carries the issuer and audience
	 * they require and passes the same validators
	 */
	public WarmUpPass(HubAuthProperties properties) {
		this.properties = properties;
	}

	/**
	 * The channel of one of the warm-up's own workspaces.
	 * @param i its number, 0 … {@link #CHANNELS} − 1
	 * @return {@code workspace:hub-warm-up-i}
	 */
	public static String channel(int i) {
		return "workspace:" + WORKSPACE + "-" + i;
	}

	/**
	 * Makes a new pass with a new key, valid until {@link #close()} or {@code until}.
	 * @param until when the pass stops working at the latest
	 * @return the pass to present as a token
	 */
	public synchronized String open(Instant until) {
		byte[] key = random(32);
		String keyId = "hub-warm-up-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(16));
		// a token expires after it is issued; the pass ends at `until` all the same
		Duration ttl = Duration.between(Instant.now(), until);
		String token = new DevTokens(key, this.properties.issuer(), this.properties.audience(), keyId).mint(SUBJECT,
				List.of(Role.USER.claimValue()), List.of(WORKSPACE), null,
				ttl.isPositive() ? ttl : Duration.ofMillis(1));
		ReactiveJwtDecoder decoder = HubSecurityConfiguration.secretKeyDecoder(key, this.properties);
		this.open = new Open(token.substring(0, token.indexOf('.') + 1), decoder,
				new HubPrincipal(SUBJECT, Set.of(Role.USER), WORKSPACES, null, null, until));
		return token;
	}

	/** Forgets the pass and its key: nothing is a pass any more. */
	public synchronized void close() {
		this.open = null;
	}

	/**
	 * Verifies a token that presents itself as the open pass (its header names the pass's
	 * key).
	 * @param token a presented token
	 * @return the warm-up principal, or an error when the token is not the pass (a forged
	 * signature, expired); {@code null} when the token is no pass (or none is open): the
	 * hub's decoder decides
	 */
	@Nullable Mono<HubPrincipal> admit(String token) {
		Open current = this.open;
		if (current == null || !token.startsWith(current.header())) {
			return null;
		}
		if (Instant.now().isAfter(current.principal().expiresAt())) {
			return Mono.error(new BadJwtException("the warm-up is over"));
		}
		return current.decoder().decode(token).map((jwt) -> {
			// read as any token is; the scope is the pass's, not the token's
			HubPrincipal.from(jwt);
			return current.principal();
		});
	}

	private static byte[] random(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return random;
	}

	private record Open(String header, ReactiveJwtDecoder decoder, HubPrincipal principal) {
	}

}
