package dev.agenthub.support.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * How hub tokens are verified ({@code hub.auth.*}).
 *
 * @param jwtSecret the HS256 secret ({@code HUB_AUTH_JWT_SECRET}); at least 32 bytes, and
 * in production neither an example secret nor one of visibly low entropy
 * ({@link SecretPolicy})
 * @param jwkSetUri an issuer's JWKS URL; when set, tokens are verified against it instead
 * of the secret (production)
 * @param production whether this is a production start ({@code HUB_AUTH_PRODUCTION}):
 * then a weak secret (without a JWKS), or a missing issuer or audience, refuses to start
 * instead of falling back to development defaults
 * @param issuer the {@code iss} every token must carry ({@code HUB_AUTH_ISSUER});
 * unchecked when unset (required in production)
 * @param audience a value the {@code aud} of every token must contain
 * ({@code HUB_AUTH_AUDIENCE}); unchecked when unset (required in production)
 * @param jwksRefetchInterval least time between two JWKS fetches caused by tokens naming
 * an unknown key id ({@code HUB_AUTH_JWKS_REFETCH_INTERVAL}, default 30 s), so that
 * forged key ids cannot make the hub hammer the issuer
 */
@ConfigurationProperties("hub.auth")
public record HubAuthProperties(String jwtSecret, String jwkSetUri, boolean production, String issuer, String audience,
		Duration jwksRefetchInterval) {

	/** Shortest accepted HS256 secret, in bytes. */
	public static final int MIN_SECRET_BYTES = 32;

	/** Default of {@link #jwksRefetchInterval()}. */
	public static final Duration DEFAULT_JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);

	@ConstructorBinding
	public HubAuthProperties {
		issuer = blankToNull(issuer);
		audience = blankToNull(audience);
		jwkSetUri = blankToNull(jwkSetUri);
		if (jwksRefetchInterval == null || jwksRefetchInterval.isNegative()) {
			jwksRefetchInterval = DEFAULT_JWKS_REFETCH_INTERVAL;
		}
		if (production && (issuer == null || audience == null)) {
			throw new IllegalStateException(
					"HUB_AUTH_ISSUER and HUB_AUTH_AUDIENCE must be set in production (HUB_AUTH_PRODUCTION=true)");
		}
	}

	/**
	 * Settings without issuer and audience checks.
	 * @param jwtSecret the HS256 secret
	 * @param jwkSetUri the JWKS URL, or {@code null}
	 * @param production whether this is a production start
	 */
	public HubAuthProperties(String jwtSecret, String jwkSetUri, boolean production) {
		this(jwtSecret, jwkSetUri, production, null, null, null);
	}

	/** Whether tokens are verified against an issuer's JWKS. */
	public boolean usesJwks() {
		return this.jwkSetUri != null;
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
