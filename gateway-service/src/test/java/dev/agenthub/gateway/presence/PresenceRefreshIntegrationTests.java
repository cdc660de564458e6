package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.List;

import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who sees a person in {@code GET /api/presence} follows the workspaces of its latest
 * token, also one refreshed in band on a live connection: before, the presence directory
 * learnt a person's workspaces only when a connection authenticated, so a refresh that
 * added a workspace left its people blind to that person, and one that removed a
 * workspace kept showing the person there until it reconnected.
 */
class PresenceRefreshIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void shouldShowAPersonInTheWorkspacesOfItsRefreshedToken() {
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.engine=redis", "--hub.redis.url=" + RedisFixture.url(),
					"--hub.broker.key-prefix=" + RedisFixture.uniquePrefix(),
					"--hub.auth.jwt-secret=" + TestTokens.SECRET)) {
			int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
			String kim = TestTokens.user("kim", "den");
			try (WsTestClient zoe = WsTestClient
				.authenticated("ws://localhost:" + port + "/ws?token=" + TestTokens.user("zoe", "zoo"))) {
				await().atMost(WAIT).until(() -> users(port, TestTokens.admin("ada")).contains("zoe"));
				assertThat(users(port, kim)).isEmpty();

				refresh(zoe, TestTokens.user("zoe", "zoo", "den"), 1);
				await().atMost(WAIT).until(() -> users(port, kim).contains("zoe"));

				refresh(zoe, TestTokens.user("zoe", "zoo"), 2);
				await().atMost(WAIT).until(() -> users(port, kim).isEmpty());
				assertThat(users(port, TestTokens.user("ula", "zoo"))).containsExactly("zoe");
			}
		}
	}

	private static void refresh(WsTestClient client, String token, int id) {
		client.send("{\"type\":\"auth\",\"id\":" + id + ",\"data\":{\"token\":\"" + token + "\"}}");
		assertThat(client.await((m) -> m.path("id").asInt() == id, WAIT).path("data").path("success").asBoolean())
			.isTrue();
	}

	private static List<String> users(int port, String token) {
		return TestHttp.getJson(port, WAIT, "/api/presence?limit=1000", token)
			.get("users")
			.findValuesAsString("userId");
	}

}
