package dev.agenthub.support.auth;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * The checks every hub token passes after its signature: not expired and not used before
 * {@code nbf} (with Spring's default clock skew), an {@code exp} claim present (a token
 * without one would never expire), a {@code sub} claim that is not blank (a token without
 * one speaks for nobody: it was accepted, and a browser connection with it hung), and,
 * when configured, the issuer ({@code iss}) and the audience ({@code aud} containing it).
 */
public final class HubTokenValidators {

	private HubTokenValidators() {
	}

	/**
	 * The validator for the given settings.
	 * @param properties the auth settings
	 * @return all checks, in order
	 */
	public static OAuth2TokenValidator<Jwt> of(HubAuthProperties properties) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator());
		validators.add(HubTokenValidators::requireExpiry);
		validators.add(HubTokenValidators::requireSubject);
		if (properties.issuer() != null) {
			validators.add(new JwtIssuerValidator(properties.issuer()));
		}
		if (properties.audience() != null) {
			String audience = properties.audience();
			validators.add((jwt) -> (jwt.getAudience() != null && jwt.getAudience().contains(audience))
					? OAuth2TokenValidatorResult.success()
					: failure("the token is not meant for this hub (aud must contain " + audience + ")"));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	private static OAuth2TokenValidatorResult requireExpiry(Jwt jwt) {
		return (jwt.getExpiresAt() != null) ? OAuth2TokenValidatorResult.success()
				: failure("the token has no exp claim");
	}

	private static OAuth2TokenValidatorResult requireSubject(Jwt jwt) {
		String subject = jwt.getSubject();
		return (subject != null && !subject.isBlank()) ? OAuth2TokenValidatorResult.success()
				: failure("the token has no sub claim (the user, agent or service it speaks for)");
	}

	private static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
	}

}
