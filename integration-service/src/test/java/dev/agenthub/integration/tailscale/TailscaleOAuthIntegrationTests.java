package dev.agenthub.integration.tailscale;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.integration.EmbeddedServiceTestBase;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Tailscale through an OAuth client: token caching, expiry, refusal; tags by default. */
class TailscaleOAuthIntegrationTests extends EmbeddedServiceTestBase {

	static final String SERVICE = TestTokens.service("agent-service");

	@BeforeEach
	void resetFake() {
		TAILSCALE.reset();
	}

	@Test
	void shouldReuseATokenUntilShortlyBeforeItExpires() {
		devices().expectStatus().isOk();
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(1);
		// One second inside the default 60 s refresh margin of a 3600 s token.
		CLOCK.advance(Duration.ofSeconds(3600 - 59));
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(2);
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(2);
		assertThat(TAILSCALE.requests())
			.anySatisfy((request) -> assertThat(request).startsWith("GET /api/v2/tailnet/T1234CNTRL/devices"));
	}

	@Test
	void shouldRefreshShortLivedTokensHalfwayThroughTheirLife() {
		TAILSCALE.tokenSeconds(30);
		devices().expectStatus().isOk();
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(1);
		CLOCK.advance(Duration.ofSeconds(16));
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(2);
	}

	@Test
	void shouldReplaceATokenTailscaleNoLongerAccepts() {
		devices().expectStatus().isOk();
		TAILSCALE.reset();
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(1);
		assertThat(TAILSCALE.calls("listDevices")).isEqualTo(2);
	}

	@Test
	void shouldRetryTheTokenRequestOnTransientFailures() {
		TAILSCALE.fail("token", 503, null, 1);
		TAILSCALE.fail("token", 429, "0", 1);
		devices().expectStatus().isOk();
		assertThat(TAILSCALE.calls("token")).isEqualTo(3);
	}

	@Test
	void shouldTagOAuthKeysWithTheConfiguredDefault() {
		client().post()
			.uri("/api/tailscale/auth-keys")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.bodyValue(Map.of("workspaceId", "w7"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.tags[0]")
			.isEqualTo("tag:workspace");
		assertThat(HubJson.parse(TAILSCALE.lastCreateBody())
			.path("capabilities")
			.path("devices")
			.path("create")
			.get("tags")
			.toString()).isEqualTo("[\"tag:workspace\"]");
		assertThat(TAILSCALE.requests())
			.anySatisfy((request) -> assertThat(request).isEqualTo("POST /api/v2/tailnet/T1234CNTRL/keys"));
	}

	WebTestClient.ResponseSpec devices() {
		return client().get()
			.uri("/api/tailscale/devices")
			.headers((headers) -> headers.setBearerAuth(SERVICE))
			.exchange();
	}

}
