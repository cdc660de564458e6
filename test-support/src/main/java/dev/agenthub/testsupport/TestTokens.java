package dev.agenthub.testsupport;

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
 * Mints hub tokens (HS256) for tests, signed with {@link #SECRET} unless told otherwise.
 */
public final class TestTokens {

	/** The development secret test hubs are configured with. */
	public static final String SECRET = "test-secret-0123456789-0123456789-0123456789";

	private TestTokens() {
	}

	/** A user token that may see the given workspaces. */
	public static String user(String userId, String... workspaces) {
		return sign(SECRET, userId, List.of("user"), List.of(workspaces), null, Duration.ofHours(1));
	}

	/**
	 * A user token that may see the given workspaces but run commands (and drive terminal
	 * tabs) only in those of its {@code exec} claim.
	 */
	public static String user(String userId, List<String> workspaces, List<String> exec) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId)
			.claim("roles", List.of("user"))
			.claim("workspaces", workspaces)
			.claim("exec", exec)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofHours(1))))
			.build();
		return sign(SECRET, claims);
	}

	/** An admin token. */
	public static String admin(String userId) {
		return sign(SECRET, userId, List.of("admin"), List.of("*"), null, Duration.ofHours(1));
	}

	/** An agent token for one workspace. */
	public static String agent(String agentId, String workspace) {
		return sign(SECRET, agentId, List.of("agent"), null, workspace, Duration.ofHours(1));
	}

	/** A service token. */
	public static String service(String name) {
		return sign(SECRET, name, List.of("service"), null, null, Duration.ofHours(1));
	}

	/**
	 * A token with any claims.
	 * @param secret the HS256 secret (use another one to forge)
	 * @param subject {@code sub}
	 * @param roles {@code roles}
	 * @param workspaces {@code workspaces}, or {@code null}
	 * @param workspace {@code workspace}, or {@code null}
	 * @param ttl time to expiry; negative for an expired token
	 */
	public static String sign(String secret, String subject, List<String> roles, List<String> workspaces,
			String workspace, Duration ttl) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", roles)
			.issueTime(Date.from(now.minusSeconds(ttl.isNegative() ? 7200 : 0)))
			.expirationTime(Date.from(now.plus(ttl)));
		if (workspaces != null) {
			claims.claim("workspaces", workspaces);
		}
		if (workspace != null) {
			claims.claim("workspace", workspace);
		}
		return sign(secret, claims.build());
	}

	private static String sign(String secret, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
