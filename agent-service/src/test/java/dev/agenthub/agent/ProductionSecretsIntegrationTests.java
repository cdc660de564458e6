package dev.agenthub.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 items 6 and 8 against a real agent-service: in production it refuses to start
 * with the README's example secret or without issuer and audience; with them, a token
 * minted for another issuer or audience is refused.
 */
class ProductionSecretsIntegrationTests {

	static final String STRONG_SECRET = "q8Zt0vXw3nR6yB1mK4pL7sD2fG5hJ9cV0aE3uI6oT8rW1xN4";

	static Map<String, Object> production(String secret) {
		Map<String, Object> properties = AgentNode.clusterProperties();
		properties.put("hub.auth.production", "true");
		properties.put("hub.auth.jwt-secret", secret);
		properties.put("hub.auth.issuer", "https://issuer.test");
		properties.put("hub.auth.audience", "agent-hub");
		return properties;
	}

	@Test
	void shouldRefuseToStartInProductionWithTheReadmesExampleSecret() {
		assertThatThrownBy(() -> AgentNode.start(production("change-me-change-me-change-me-change-me")).close())
			.rootCause()
			.hasMessageContaining("HUB_AUTH_JWT_SECRET")
			.hasMessageNotContaining("change-me-change-me");
	}

	@Test
	void shouldRefuseToStartInProductionWithoutIssuerAndAudience() {
		Map<String, Object> properties = production(STRONG_SECRET);
		properties.remove("hub.auth.issuer");
		assertThatThrownBy(() -> AgentNode.start(properties).close()).rootCause()
			.hasMessageContaining("HUB_AUTH_ISSUER");
	}

	@Test
	void shouldRefuseTokensForAnotherIssuerOrAudienceInProduction() {
		try (AgentNode node = AgentNode.start(production(STRONG_SECRET))) {
			String good = sign("https://issuer.test", "agent-hub");
			assertThat(Http.get(node.url() + "/api/agents", good).status()).isEqualTo(200);
			assertThat(Http.get(node.url() + "/api/agents", sign("https://evil.test", "agent-hub")).status())
				.isEqualTo(401);
			assertThat(Http.get(node.url() + "/api/agents", sign("https://issuer.test", "other-app")).status())
				.isEqualTo(401);
		}
	}

	static String sign(String issuer, String audience) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("ann")
			.issuer(issuer)
			.audience(audience)
			.claim("roles", List.of("user"))
			.claim("workspaces", List.of("acme"))
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(STRONG_SECRET.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
