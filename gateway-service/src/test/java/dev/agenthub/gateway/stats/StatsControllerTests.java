package dev.agenthub.gateway.stats;

import java.time.Duration;

import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/stats}, seed 002's dashboard counts: {@code clients} are the open
 * connections, {@code authenticatedClients} those that authenticated.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.auth.jwt-secret=" + TestTokens.SECRET)
class StatsControllerTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Test
	void shouldCountAConnectionThatHasNotAuthenticatedYetAmongTheClientsOfThoseWhoSeeAll() {
		// Seed 002's getClientsCount() and getAuthenticatedClientsCount(): a socket
		// waiting
		// to send its auth message is connected, not authenticated. Both counted only the
		// authenticated ones before, so the dashboard never saw the difference.
		try (WsTestClient waiting = WsTestClient.connect("ws://localhost:" + this.port + "/ws");
				WsTestClient ann = WsTestClient
					.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("ann", "w1"))) {
			JsonNode all = TestHttp.getJson(this.port, WAIT, "/api/stats", TestTokens.admin("root"));
			assertThat(all.path("clients").asLong()).as("%s", all).isEqualTo(2);
			assertThat(all.path("authenticatedClients").asLong()).as("%s", all).isEqualTo(1);
			JsonNode mine = TestHttp.getJson(this.port, WAIT, "/api/stats", TestTokens.user("bob", "w1"));
			assertThat(mine.path("clients").asLong()).as("a connection of nobody yet: not a user's to count")
				.isEqualTo(1);
			assertThat(mine.path("authenticatedClients").asLong()).isEqualTo(1);
		}
	}

}
