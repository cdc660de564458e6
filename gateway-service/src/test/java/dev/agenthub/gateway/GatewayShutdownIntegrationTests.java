package dev.agenthub.gateway;

import java.time.Duration;
import java.util.function.Predicate;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway shutting down: it closes its sockets with 1001, and what their end sets off
 * happens while its engine is still open — its users' presence is written and announced
 * at once (the grace period cut short), not by timers that would fire after the engine
 * closed, when nobody else would announce it.
 */
class GatewayShutdownIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static Predicate<JsonNode> presence(String userId, String status) {
		return (node) -> "user_presence".equals(node.path("type").asString())
				&& userId.equals(node.path("data").path("userId").asString())
				&& status.equals(node.path("data").path("status").asString());
	}

	@Test
	void aGatewayShuttingDownAnnouncesItsUsersOfflineBeforeItsEngineCloses() {
		// a grace period far longer than the wait: only the shutdown's flush can announce
		try (TestNodes nodes = new TestNodes("--hub.gateway.presence-grace=120s")) {
			ConfigurableApplicationContext leaving = nodes.gateway();
			ConfigurableApplicationContext staying = nodes.gateway();
			try (WsTestClient watcher = WsTestClient
				.authenticated(TestNodes.ws(staying, TestTokens.user("gs-watcher", "gs-w")))) {
				watcher.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"broadcast\"}}");
				watcher.awaitType("subscribed");
				WsTestClient[] users = new WsTestClient[3];
				for (int i = 0; i < users.length; i++) {
					users[i] = WsTestClient
						.authenticated(TestNodes.ws(leaving, TestTokens.user("gs-user-" + i, "gs-w")));
					watcher.await(presence("gs-user-" + i, "online"), WAIT);
				}

				leaving.close();

				for (WsTestClient user : users) {
					assertThat(user.awaitClose(WAIT)).isEqualTo(CloseCode.GOING_AWAY.code());
				}
				await().atMost(WAIT).untilAsserted(() -> {
					for (int i = 0; i < users.length; i++) {
						assertThat(watcher.received()).anyMatch(presence("gs-user-" + i, "offline"));
					}
				});
				assertThat(
						TestNodes.getJson(staying, "/api/presence", TestTokens.user("gs-watcher", "gs-w")).toString())
					.doesNotContain("gs-user-");
			}
		}
	}

}
