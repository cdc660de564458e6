package dev.agenthub.support.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How hub tokens are verified ({@code hub.auth.*}).
 *
 * @param jwtSecret the HS256 secret ({@code HUB_AUTH_JWT_SECRET}); at least 32 bytes
 * @param jwkSetUri an issuer's JWKS URL; when set, tokens are verified against it instead
 * of the secret (production)
 * @param production whether this is a production start ({@code HUB_PRODUCTION}): then a
 * missing or short secret (without a JWKS) refuses to start instead of generating a
 * development secret
 */
@ConfigurationProperties("hub.auth")
public record HubAuthProperties(String jwtSecret, String jwkSetUri, boolean production) {

	/** Shortest accepted HS256 secret, in bytes. */
	public static final int MIN_SECRET_BYTES = 32;

}
