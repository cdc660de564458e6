package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Decides the HS256 secret: the configured one when {@link SecretPolicy} accepts it (a
 * refusal to start otherwise); when none is configured, outside production, a generated
 * development secret (the same for every service of one JVM, so the single-process hub
 * shares it); in production, a refusal to start.
 */
public final class DevSecret {

	private static final String GENERATED = HexFormat.of().formatHex(randomBytes());

	private DevSecret() {
	}

	/**
	 * The secret to verify with.
	 * @param properties the auth settings
	 * @return the secret's bytes
	 * @throws IllegalStateException for a secret {@link SecretPolicy} refuses, or in
	 * production without a secret
	 */
	public static byte[] resolve(HubAuthProperties properties) {
		String configured = properties.jwtSecret();
		if (configured == null || configured.isEmpty()) {
			if (properties.production()) {
				throw new IllegalStateException(
						"HUB_AUTH_JWT_SECRET (or HUB_AUTH_JWK_SET_URI) must be set in production");
			}
			return GENERATED.getBytes(StandardCharsets.UTF_8);
		}
		String problem = SecretPolicy.problem(configured, properties.production());
		if (problem != null) {
			throw new IllegalStateException(problem);
		}
		return configured.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Whether the hub verifies with the generated development secret: no secret and no
	 * JWKS configured, outside production. Only then may development tokens be minted and
	 * shown.
	 * @param properties the auth settings
	 * @return {@code true} for a development hub
	 */
	public static boolean isGenerated(HubAuthProperties properties) {
		return !properties.production() && !properties.usesJwks()
				&& (properties.jwtSecret() == null || properties.jwtSecret().isEmpty());
	}

	/** The development secret generated for this JVM. */
	public static String generated() {
		return GENERATED;
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

}
