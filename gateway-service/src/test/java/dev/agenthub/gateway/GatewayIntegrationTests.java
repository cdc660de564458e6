package dev.agenthub.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
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

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GatewayIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	/** A browser that subscribes to what it watches itself ({@code ?subscribe=none}). */
	WsTestClient connect(String token) {
		return WsTestClient.authenticated("ws://localhost:" + this.port + "/ws?subscribe=none&token=" + token);
	}

	Publication publish(String channel, String json) {
		return this.broker.publish(channel, "tab:output", HubJson.parse(json)).block(WAIT);
	}

	/**
	 * Whether nothing but presence changes (people connecting in other tests, on
	 * {@code broadcast}) arrives within {@code quiet}.
	 */
	static boolean quietBesidesPresence(WsTestClient client, Duration quiet) {
		try {
			client.await((node) -> !"user_presence".equals(node.path("type").asString()), quiet);
			return false;
		}
		catch (AssertionError ex) {
			return true;
		}
	}

	@Test
	void shouldSubscribeABrowserToItsWorkspacesOnConnectUnlessItOptsOut() {
		try (WsTestClient watcher = WsTestClient
			.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("sso-a", "sso1", "sso2"));
				WsTestClient optedOut = connect(TestTokens.user("sso-b", "sso1"))) {
			List<String> channels = new ArrayList<>();
			channels.add(watcher.awaitType("subscribed").path("data").path("channel").asString());
			channels.add(watcher.awaitType("subscribed").path("data").path("channel").asString());
			assertThat(channels).containsExactly("workspace:sso1", "workspace:sso2");
			Publication published = publish("workspace:sso2", "{\"tabId\":\"t1\",\"data\":\"hi\"}");
			JsonNode event = watcher.awaitType("tab:output");
			assertThat(event.get("offset").asLong()).isEqualTo(published.offset());
			publish("workspace:sso1", "{\"tabId\":\"t1\",\"data\":\"hi\"}");
			assertThat(quietBesidesPresence(optedOut, Duration.ofMillis(500))).isTrue();
		}
	}

	/**
	 * Seed 001's web app watches one workspace with {@code ?workspaceId=}: one its token
	 * does not allow, or an id that cannot name a channel, is told as an {@code error}
	 * (the connection stays); before, only the {@code auth} reply came and nothing after
	 * it, so the app showed "connected" and never received anything.
	 */
	@Test
	void shouldSayWhyAWatchedWorkspaceIsRefused() {
		String base = "ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("wid-a", "wid1");
		try (WsTestClient other = WsTestClient.authenticated(base + "&workspaceId=wid9");
				WsTestClient odd = WsTestClient.authenticated(base + "&workspaceId=bad%20id")) {
			assertThat(other.awaitType("error").path("data").path("code").asString()).isEqualTo("forbidden");
			assertThat(odd.awaitType("error").path("data").path("code").asString()).isEqualTo("bad_request");
			assertThat(other.isClosed()).isFalse();
		}
		try (WsTestClient mine = WsTestClient.authenticated(base + "&workspaceId=wid1")) {
			assertThat(mine.awaitType("subscribed").path("data").path("channel").asString())
				.isEqualTo("workspace:wid1");
		}
	}

	@Test
	void shouldAnswerASubscribeToAServerSideChannelWithItsPositionAndDeliverWhatFollows() {
		// A client's own subscribe to a channel the hub subscribed it to (seed clients do
		// both) is processed after the hub's subscription is positioned, so its answer
		// carries that position and an event published right after it arrives.
		for (int i = 0; i < 10; i++) {
			try (WsTestClient browser = WsTestClient
				.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("race-a", "race-w"))) {
				browser.send("{\"type\":\"subscribe\",\"id\":7,\"data\":{\"channel\":\"workspace:race-w\"}}");
				JsonNode answer = browser.await((m) -> m.path("id").asInt() == 7, WAIT);
				assertThat(answer.path("data").path("epoch").isString()).as("positioned: %s", answer).isTrue();
				Publication published = publish("workspace:race-w", "{\"tabId\":\"t\",\"data\":\"" + i + "\"}");
				JsonNode event = browser.awaitType("tab:output");
				assertThat(event.get("offset").asLong()).isEqualTo(published.offset());
			}
		}
	}

	@Test
	void shouldDeliverEventsOnlyToSubscribersInTheWireShape() {
		try (WsTestClient subscriber = connect(TestTokens.user("alice", "w1"));
				WsTestClient bystander = connect(TestTokens.user("bob", "w1"))) {
			subscriber.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"workspace:w1\"}}");
			JsonNode subscribed = subscriber.awaitType("subscribed");
			assertThat(subscribed.get("id").asInt()).isEqualTo(1);
			assertThat(subscribed.get("data").get("channel").asString()).isEqualTo("workspace:w1");
			assertThat(subscribed.get("data").get("epoch").asString()).isNotBlank();
			Publication published = publish("workspace:w1", "{\"tabId\":\"t1\",\"data\":\"hello\\n\"}");
			JsonNode event = subscriber.awaitType("tab:output");
			assertThat(event.get("channel").asString()).isEqualTo("workspace:w1");
			assertThat(event.get("offset").asLong()).isEqualTo(published.offset());
			assertThat(event.get("epoch").asString()).isEqualTo(published.event().epoch());
			assertThat(event.get("data").get("tabId").asString()).isEqualTo("t1");
			assertThat(event.get("data").get("data").asString()).isEqualTo("hello\n");
			assertThat(event.get("timestamp").asString()).endsWith("Z");
			assertThat(quietBesidesPresence(bystander, Duration.ofMillis(500))).isTrue();
		}
	}

	@Test
	void shouldRefuseCrossTenantSubscriptionsAndKeepTheConnection() {
		try (WsTestClient client = connect(TestTokens.user("mallory", "w2"))) {
			client.send("{\"type\":\"subscribe\",\"id\":5,\"data\":{\"channel\":\"workspace:w1\"}}");
			JsonNode error = client.awaitType("error");
			assertThat(error.get("data").get("code").asString()).isEqualTo("forbidden");
			assertThat(error.get("id").asInt()).isEqualTo(5);
			client.send("{\"type\":\"ping\"}");
			assertThat(client.awaitType("pong")).isNotNull();
			assertThat(client.isClosed()).isFalse();
		}
	}

	/**
	 * A refreshed token that names other workspaces: a browser the hub subscribes (seed
	 * 000's never subscribe themselves) is taken off the one it lost, told so, and put on
	 * the one it gained (before, it was never subscribed to the new one).
	 */
	@Test
	void shouldFollowARefreshedTokensWorkspacesOnAServerSideConnection() {
		try (WsTestClient browser = WsTestClient
			.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("rf-a", "rf1"))) {
			assertThat(browser.awaitType("subscribed").path("data").path("channel").asString())
				.isEqualTo("workspace:rf1");
			browser
				.send("{\"type\":\"auth\",\"id\":4,\"data\":{\"token\":\"" + TestTokens.user("rf-a", "rf2") + "\"}}");
			JsonNode gone = browser.awaitType("unsubscribed");
			assertThat(gone.path("data").path("channel").asString()).isEqualTo("workspace:rf1");
			assertThat(browser.awaitType("subscribed").path("data").path("channel").asString())
				.isEqualTo("workspace:rf2");
			Publication published = publish("workspace:rf2", "{\"tabId\":\"t\",\"data\":\"new\"}");
			assertThat(browser.awaitType("tab:output").path("offset").asLong()).isEqualTo(published.offset());
		}
	}

	@Test
	void shouldAuthenticateByFirstMessageAndAcceptSeed004Dialect() {
		try (WsTestClient client = WsTestClient.connect("ws://localhost:" + this.port + "/ws")) {
			client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:w3\"}}");
			assertThat(client.awaitType("error").get("data").get("code").asString()).isEqualTo("unauthorized");
			client.send("{\"type\":\"auth\",\"data\":{\"token\":\"" + TestTokens.user("carol", "w3") + "\"}}");
			JsonNode auth = client.awaitType("auth");
			assertThat(auth.get("data").get("userId").asString()).isEqualTo("carol");
			assertThat(auth.get("data").get("clientId").asString()).isNotBlank();
			client.send("{\"type\":\"subscribe:workspace\",\"payload\":{\"workspaceId\":\"w3\"}}");
			assertThat(client.awaitType("subscribed").get("data").get("channel").asString()).isEqualTo("workspace:w3");
			publish("workspace:w3", "{\"tabId\":\"t\",\"data\":\"x\"}");
			assertThat(client.awaitType("tab:output").get("channel").asString()).isEqualTo("workspace:w3");
		}
	}

	@Test
	void shouldRefuseForgedExpiredAndSubjectlessTokensWith4001() {
		String forged = TestTokens.sign("another-secret-0123456789-0123456789-012345", "eve", List.of("admin"),
				List.of("*"), null, Duration.ofHours(1));
		String expired = TestTokens.sign(TestTokens.SECRET, "eve", List.of("user"), List.of("w1"), null,
				Duration.ofMinutes(-5));
		// without sub the connection was neither refused nor opened: it hung, answering
		// pings
		String nobody = TestTokens.sign(TestTokens.SECRET, null, List.of("user"), List.of("w1"), null,
				Duration.ofHours(1));
		for (String token : new String[] { forged, expired, "not-a-jwt", nobody }) {
			try (WsTestClient client = WsTestClient.connect("ws://localhost:" + this.port + "/ws?token=" + token)) {
				JsonNode auth = client.awaitType("auth");
				assertThat(auth.get("data").get("success").asBoolean()).isFalse();
				assertThat(auth.get("data").get("error").asString()).isNotBlank();
				assertThat(client.awaitClose(WAIT)).isEqualTo(4001);
			}
		}
	}

	@Test
	void shouldAnswerMalformedInputWithAnErrorAndKeepTheConnection() {
		try (WsTestClient client = connect(TestTokens.user("dave", "w1"))) {
			client.send("{not json");
			assertThat(client.awaitType("error").get("data").get("code").asString()).isEqualTo("bad_request");
			client.send("{\"type\":\"teleport\"}");
			assertThat(client.awaitType("error").get("data").get("error").asString()).contains("unknown message type");
			client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"room:1\"}}");
			assertThat(client.awaitType("error").get("data").get("error").asString()).contains("unknown kind 'room'");
			client.send("{\"type\":\"ping\"}");
			assertThat(client.awaitType("pong")).isNotNull();
		}
	}

	@Test
	void shouldRecoverMissedEventsFromTheEngineWithoutGapOrDuplicate() {
		String channel = "workspace:rec1";
		String token = TestTokens.user("erin", "rec1");
		String epoch;
		long offset;
		try (WsTestClient first = connect(token)) {
			first.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
			first.awaitType("subscribed");
			publish(channel, "{\"tabId\":\"t\",\"data\":\"seen\"}");
			JsonNode seen = first.awaitType("tab:output");
			epoch = seen.get("epoch").asString();
			offset = seen.get("offset").asLong();
		}
		for (int i = 0; i < 5; i++) {
			publish(channel, "{\"tabId\":\"t\",\"data\":\"missed " + i + "\"}");
		}
		try (WsTestClient second = connect(token)) {
			second.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"epoch\":\""
					+ epoch + "\",\"offset\":" + offset + "}}}");
			JsonNode subscribed = second.awaitType("subscribed");
			assertThat(subscribed.get("data").get("recovered").asBoolean()).isTrue();
			// Every event of the channel counts: erin's own presence changes (leaving
			// with
			// the first connection, coming back with the second) are events of her
			// workspace's channel too, and may fall between the publishes.
			List<Long> offsets = new ArrayList<>();
			List<String> outputs = new ArrayList<>();
			while (outputs.size() < 6) {
				JsonNode event = second.await((node) -> channel.equals(node.path("channel").asString())
						&& !"subscribed".equals(node.path("type").asString()));
				assertThat(event.get("epoch").asString()).isEqualTo(epoch);
				offsets.add(event.get("offset").asLong());
				if ("tab:output".equals(event.get("type").asString())) {
					outputs.add(event.get("data").get("data").asString());
					if (outputs.size() == 5) {
						publish(channel, "{\"tabId\":\"t\",\"data\":\"live\"}");
					}
				}
			}
			assertThat(outputs).containsExactly("missed 0", "missed 1", "missed 2", "missed 3", "missed 4", "live");
			List<Long> expected = new ArrayList<>();
			for (int i = 1; i <= offsets.size(); i++) {
				expected.add(offset + i);
			}
			assertThat(offsets).as("no gap, no duplicate, in order").isEqualTo(expected);
		}
	}

	@Test
	void shouldSayNotRecoveredForAnUnknownEpoch() {
		try (WsTestClient client = connect(TestTokens.user("fay", "rec2"))) {
			client.send(
					"{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:rec2\",\"since\":{\"epoch\":\"gone\",\"offset\":3}}}");
			JsonNode subscribed = client.awaitType("subscribed");
			assertThat(subscribed.get("data").get("recovered").asBoolean()).isFalse();
			assertThat(quietBesidesPresence(client, Duration.ofMillis(300))).isTrue();
		}
	}

	@Test
	void shouldPutConnectionsOnTheirImplicitChannels() {
		try (WsTestClient client = WsTestClient.connect(
				"ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("gus", "w1"),
				Map.of("x-client-id", "tab-42"))) {
			assertThat(client.awaitType("auth").get("data").get("clientId").asString()).isEqualTo("tab-42");
			publish("user:gus", "{\"tabId\":\"t\",\"data\":\"for gus\"}");
			publish("client:tab-42", "{\"tabId\":\"t\",\"data\":\"for this tab\"}");
			publish("broadcast", "{\"tabId\":\"t\",\"data\":\"for all\"}");
			List<String> channels = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				channels.add(client.awaitType("tab:output").get("channel").asString());
			}
			assertThat(channels).containsExactlyInAnyOrder("user:gus", "client:tab-42", "broadcast");
		}
	}

}
