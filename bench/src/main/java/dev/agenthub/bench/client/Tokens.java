package dev.agenthub.bench.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints HS256 hub tokens with the hub's development secret, so the harness can give every
 * simulated browser or agent its own workspaces.
 */
public final class Tokens {

	private static final Duration TTL = Duration.ofHours(6);

	private final MACSigner signer;

	public Tokens(String secret) {
		try {
			this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("unusable HS256 secret: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return a browser user's token for these workspaces
	 */
	public String user(String subject, List<String> workspaces) {
		return mint(new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", List.of("user"))
			.claim("workspaces", workspaces));
	}

	/**
	 * @return an agent's token for one workspace
	 */
	public String agent(String subject, String workspace) {
		return mint(new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", List.of("agent"))
			.claim("workspace", workspace));
	}

	/**
	 * @return a backend service token (publish API)
	 */
	public String service() {
		return mint(new JWTClaimsSet.Builder().subject("bench-service").claim("roles", List.of("service")));
	}

	private String mint(JWTClaimsSet.Builder claims) {
		Instant now = Instant.now();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				claims.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(TTL))).build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
