package dev.agenthub.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Decides the HS256 secret: the configured one when long enough; otherwise, outside
 * production, a generated development secret (the same for every service of one JVM, so
 * the single-process hub shares it); in production, a refusal to start.
 */
public final class DevSecret {

	private static final String GENERATED = HexFormat.of().formatHex(randomBytes());

	private DevSecret() {
	}

	/**
	 * The secret to verify with.
	 * @param properties the auth settings
	 * @return the secret's bytes
	 * @throws IllegalStateException in production with a missing or short secret
	 */
	public static byte[] resolve(HubAuthProperties properties) {
		String configured = properties.jwtSecret();
		if (configured != null
				&& configured.getBytes(StandardCharsets.UTF_8).length >= HubAuthProperties.MIN_SECRET_BYTES) {
			return configured.getBytes(StandardCharsets.UTF_8);
		}
		if (properties.production()) {
			throw new IllegalStateException("HUB_AUTH_JWT_SECRET must be set to at least "
					+ HubAuthProperties.MIN_SECRET_BYTES + " bytes (or hub.auth.jwk-set-uri) in production");
		}
		if (configured != null && !configured.isEmpty()) {
			throw new IllegalStateException(
					"HUB_AUTH_JWT_SECRET is shorter than " + HubAuthProperties.MIN_SECRET_BYTES + " bytes");
		}
		return GENERATED.getBytes(StandardCharsets.UTF_8);
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
