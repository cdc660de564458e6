package dev.agenthub.support.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.agenthub.contracts.auth.Claims;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Mints HS256 hub tokens with a secret: the development user and agent tokens the
 * single-process hub prints at start, and tokens for scripts ({@code ./hub token}).
 */
public class DevTokens {

	private final NimbusJwtEncoder encoder;

	private final String issuer;

	private final String audience;

	private final @Nullable String keyId;

	public DevTokens(byte[] secret) {
		this(secret, null, null);
	}

	/**
	 * A minter whose tokens carry an issuer and audience.
	 * @param secret the HS256 secret
	 * @param issuer {@code iss}, or {@code null}
	 * @param audience {@code aud}, or {@code null}
	 */
	public DevTokens(byte[] secret, String issuer, String audience) {
		this(secret, issuer, audience, null);
	}

	/**
	 * A minter whose tokens carry an issuer, an audience and a key id in their header.
	 * @param secret the HS256 secret
	 * @param issuer {@code iss}, or {@code null}
	 * @param audience {@code aud}, or {@code null}
	 * @param keyId {@code kid}, or {@code null}
	 */
	public DevTokens(byte[] secret, String issuer, String audience, @Nullable String keyId) {
		// the encoder picks its key by the header's kid, so a named key carries it too
		this.encoder = new NimbusJwtEncoder((keyId != null)
				? new ImmutableJWKSet<>(new JWKSet(
						new OctetSequenceKey.Builder(secret).keyID(keyId).algorithm(JWSAlgorithm.HS256).build()))
				: new ImmutableSecret<>(new SecretKeySpec(secret, "HmacSHA256")));
		this.issuer = issuer;
		this.audience = audience;
		this.keyId = keyId;
	}

	/**
	 * A minter for the configured issuer and audience.
	 * @param auth the auth settings
	 * @return the minter
	 */
	public static DevTokens of(HubAuthProperties auth) {
		return new DevTokens(DevSecret.resolve(auth), auth.issuer(), auth.audience());
	}

	/**
	 * A token.
	 * @param subject {@code sub}
	 * @param roles {@code roles}
	 * @param workspaces {@code workspaces} (users), or {@code null}
	 * @param workspace {@code workspace} (agents), or {@code null}
	 * @param ttl time to expiry
	 * @return the compact JWT
	 */
	public String mint(String subject, List<String> roles, List<String> workspaces, String workspace, Duration ttl) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.subject(subject)
			.issuedAt(now)
			.expiresAt(now.plus(ttl))
			.claim(Claims.ROLES, roles);
		if (this.issuer != null) {
			claims.issuer(this.issuer);
		}
		if (this.audience != null) {
			claims.audience(List.of(this.audience));
		}
		if (workspaces != null) {
			claims.claim(Claims.WORKSPACES, workspaces);
		}
		if (workspace != null) {
			claims.claim(Claims.WORKSPACE, workspace);
		}
		JwsHeader.Builder header = JwsHeader.with(MacAlgorithm.HS256);
		if (this.keyId != null) {
			header.keyId(this.keyId);
		}
		return this.encoder.encode(JwtEncoderParameters.from(header.build(), claims.build())).getTokenValue();
	}

}
