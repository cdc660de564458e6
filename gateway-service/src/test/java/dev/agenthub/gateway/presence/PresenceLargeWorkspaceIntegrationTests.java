package dev.agenthub.gateway.presence;

import java.time.Duration;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10: connecting must not be quadratic. In a workspace with more people online than
 * {@code hub.gateway.presence-max-audience} (here 2), a change would reach everyone in
 * it, so it is not announced there; the person's small workspaces still hear of it, and
 * the crowded workspace's people find it with {@code GET /api/presence}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PresenceLargeWorkspaceIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.gateway.presence-audience", () -> "workspaces");
		registry.add("hub.gateway.presence-max-audience", () -> "2");
	}

	@LocalServerPort
	int port;

	WsTestClient subscribed(String token, String channel) {
		WsTestClient client = WsTestClient.authenticated("ws://localhost:" + this.port + "/ws?token=" + token);
		client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
		// (the connection is also subscribed server-side to its workspaces)
		client.await((event) -> "subscribed".equals(event.path("type").asString())
				&& channel.equals(event.path("data").path("channel").asString()), WAIT);
		return client;
	}

	static boolean presenceOf(JsonNode event, String userId) {
		return "user_presence".equals(event.path("type").asString())
				&& userId.equals(event.path("data").path("userId").asString());
	}

	@Test
	void aCrowdedWorkspaceHearsNoPresenceWhileItsSmallOnesDo() throws InterruptedException {
		try (WsTestClient watcher = subscribed(TestTokens.user("lw-watcher", "lw-big"), "workspace:lw-big");
				WsTestClient colleague = subscribed(TestTokens.user("lw-colleague", "lw-small"),
						"workspace:lw-small")) {
			// second person online in lw-big: still announced there
			try (WsTestClient second = subscribed(TestTokens.user("lw-second", "lw-big"), "workspace:lw-big")) {
				JsonNode online = watcher.await((event) -> presenceOf(event, "lw-second"), WAIT);
				assertThat(online.get("channel").asString()).isEqualTo("workspace:lw-big");

				// the third would make lw-big crowded: heard in lw-small, not in lw-big
				try (WsTestClient third = subscribed(TestTokens.user("lw-third", "lw-big", "lw-small"),
						"workspace:lw-small")) {
					JsonNode small = colleague.await((event) -> presenceOf(event, "lw-third"), WAIT);
					assertThat(small.get("channel").asString()).isEqualTo("workspace:lw-small");
					Thread.sleep(500);
					assertThat(watcher.received()).noneMatch((event) -> presenceOf(event, "lw-third"));
					assertThat(second.received()).noneMatch((event) -> presenceOf(event, "lw-third"));

					// what is not pushed is there to ask for
					JsonNode users = TestHttp.getJson(this.port, WAIT, "/api/presence?limit=100",
							TestTokens.user("lw-watcher", "lw-big"));
					assertThat(users.get("users").findValuesAsString("userId")).contains("lw-second", "lw-third");
				}
			}
		}
	}

}
