package dev.agenthub.gateway.presence;

import java.time.Duration;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code hub.gateway.presence-audience=workspaces} on the Redis engine: a user's presence
 * changes reach the people who share one of its workspaces, on that workspace's channel,
 * and nobody else.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PresenceAudienceIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.gateway.presence-audience", () -> "workspaces");
	}

	@LocalServerPort
	int port;

	@Autowired
	PresenceService presence;

	WsTestClient connect(String token) {
		return WsTestClient.authenticated("ws://localhost:" + this.port + "/ws?token=" + token);
	}

	WsTestClient subscribed(String token, String channel) {
		WsTestClient client = connect(token);
		client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
		assertThat(client.awaitType("subscribed").get("data").get("channel").asString()).isEqualTo(channel);
		return client;
	}

	@Test
	void keepsNothingForAConnectionOnceItsPresenceStepsAreDone() {
		try (WsTestClient watcher = subscribed(TestTokens.user("pk-watcher", "pk-w"), "workspace:pk-w");
				WsTestClient flipper = connect(TestTokens.user("pk-flipper", "pk-w"))) {
			for (int i = 0; i < 20; i++) {
				flipper.send("{\"type\":\"user_presence\",\"data\":\"" + ((i % 2 == 0) ? "busy" : "away") + "\"}");
			}
			flipper.send("{\"type\":\"ping\"}");
			flipper.awaitType("pong");
			JsonNode last = watcher.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pk-flipper".equals(node.path("data").path("userId").asString())
					&& "away".equals(node.path("data").path("status").asString()), WAIT);
			assertThat(last.get("channel").asString()).isEqualTo("workspace:pk-w");
			// both still connected, every step done: nothing is held for them (a chain of
			// done steps used to be kept per connection, one link per change it sent)
			await().atMost(WAIT).until(() -> this.presence.pendingConnections() == 0);
			assertThat(watcher.isClosed()).isFalse();
			assertThat(flipper.isClosed()).isFalse();
		}
	}

	@Test
	void presenceReachesOnlyThoseWhoShareAWorkspace() throws InterruptedException {
		try (WsTestClient colleague = subscribed(TestTokens.user("pa-colleague", "pa-w1"), "workspace:pa-w1");
				WsTestClient stranger = subscribed(TestTokens.user("pa-stranger", "pa-w2"), "workspace:pa-w2")) {
			WsTestClient newcomer = connect(TestTokens.user("pa-newcomer", "pa-w1", "pa-w3"));

			JsonNode online = colleague.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pa-newcomer".equals(node.path("data").path("userId").asString()), WAIT);
			assertThat(online.get("channel").asString()).isEqualTo("workspace:pa-w1");
			assertThat(online.get("data").get("status").asString()).isEqualTo("online");

			newcomer.send("{\"type\":\"user_presence\",\"data\":\"busy\"}");
			JsonNode busy = colleague.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "busy".equals(node.path("data").path("status").asString()), WAIT);
			assertThat(busy.get("data").get("userId").asString()).isEqualTo("pa-newcomer");

			newcomer.close();
			JsonNode offline = colleague.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pa-newcomer".equals(node.path("data").path("userId").asString())
					&& "offline".equals(node.path("data").path("status").asString()), WAIT);
			assertThat(offline.get("data").get("userId").asString()).isEqualTo("pa-newcomer");
			assertThat(offline.get("channel").asString()).isEqualTo("workspace:pa-w1");

			// the stranger shares no workspace: not a word of it, on broadcast or
			// anywhere
			// (given the time the colleague's three events took to arrive)
			Thread.sleep(500);
			assertThat(stranger.received())
				.noneMatch((node) -> "pa-newcomer".equals(node.path("data").path("userId").asString()));
		}
	}

	/**
	 * A token refreshed in band with another workspace: the user's changes from then on —
	 * going offline included — reach that workspace's people too, and its status is kept.
	 * Before, the store kept the audience of the connection's first token until its next
	 * status change, so the new workspace never heard that the user left.
	 */
	@Test
	void aRefreshedTokensWorkspacesHearTheUserLeave() {
		try (WsTestClient colleague = subscribed(TestTokens.user("pr-colleague", "pr-w2"), "workspace:pr-w2")) {
			WsTestClient mover = connect(TestTokens.user("pr-mover", "pr-w1"));
			mover.send("{\"type\":\"user_presence\",\"data\":\"busy\"}");
			mover.send("{\"type\":\"auth\",\"id\":1,\"data\":{\"token\":\""
					+ TestTokens.user("pr-mover", "pr-w1", "pr-w2") + "\"}}");
			assertThat(mover.await((m) -> m.path("id").asInt() == 1, WAIT).path("data").path("success").asBoolean())
				.isTrue();
			await().atMost(WAIT)
				.until(() -> "busy".equals(this.presence.online().block(WAIT).get("pr-mover"))
						&& this.presence.pendingConnections() == 0);
			mover.close();
			JsonNode offline = colleague.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pr-mover".equals(node.path("data").path("userId").asString())
					&& "offline".equals(node.path("data").path("status").asString()), WAIT);
			assertThat(offline.get("channel").asString()).isEqualTo("workspace:pr-w2");
		}
	}

	/**
	 * A user of every workspace shares each one: announced on {@code broadcast}, as
	 * {@code GET /api/presence} lists it to everyone ({@link PresenceVisibility}).
	 */
	@Test
	void theUsersOfEveryWorkspaceGoToEveryone() {
		try (WsTestClient someone = subscribed(TestTokens.user("pa-other", "pa-w5"), "workspace:pa-w5");
				WsTestClient all = connect(TestTokens.user("pa-all", "*"))) {
			JsonNode online = someone.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pa-all".equals(node.path("data").path("userId").asString()), WAIT);
			assertThat(online.get("channel").asString()).isEqualTo("broadcast");
		}
	}

	@Test
	void anAdminsPresenceGoesToEveryone() {
		try (WsTestClient someone = subscribed(TestTokens.user("pa-someone", "pa-w4"), "workspace:pa-w4");
				WsTestClient admin = connect(TestTokens.admin("pa-admin"))) {
			JsonNode online = someone.await((node) -> "user_presence".equals(node.path("type").asString())
					&& "pa-admin".equals(node.path("data").path("userId").asString()), WAIT);
			assertThat(online.get("channel").asString()).isEqualTo("broadcast");
		}
	}

}
