package dev.agenthub.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.presence.PresenceStore;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.gateway.TestNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateways and the event log on one Redis (with a 10-event history window) and a
 * PostgreSQL database; agent-service's owner look-up is a stub.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayClusterIntegrationTests {

	static DisposableServer agentService;

	static TestNodes nodes;

	static ConfigurableApplicationContext log;

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	@BeforeAll
	static void start() {
		agentService = HttpServer.create().port(0).handle((request, response) -> {
			if (!String.valueOf(request.requestHeaders().get("Authorization")).startsWith("Bearer ")) {
				return response.status(401).send();
			}
			String uri = request.uri();
			return (uri.equals("/api/channels/agent:a1/owner") || uri.equals("/api/channels/agent%3Aa1/owner"))
					? response.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"workspaceId\":\"w1\"}"))
					: response.status(404).send();
		}).bindNow();
		nodes = new TestNodes("--hub.broker.history-size=10", "--hub.gateway.sync-page-size=5",
				"--hub.gateway.agent-service-url=http://localhost:" + agentService.port());
		log = nodes.broadcast();
		String history = "--hub.gateway.history-url=http://localhost:" + TestNodes.port(log);
		one = nodes.gateway(history);
		two = nodes.gateway(history);
	}

	@AfterAll
	static void stop() {
		nodes.close();
		agentService.disposeNow();
	}

	static WsTestClient connect(ConfigurableApplicationContext gateway, String token) {
		return WsTestClient.authenticated(TestNodes.ws(gateway, token));
	}

	static Publication publish(String channel, String type, String json) {
		return one.getBean(Broker.class).publish(channel, type, HubJson.parse(json)).block(WAIT);
	}

	static JsonNode presenceOf(WsTestClient client, String userId) {
		return client
			.await((node) -> "user_presence".equals(node.path("type").asString())
					&& userId.equals(node.path("data").path("userId").asString()))
			.get("data");
	}

	static final int DEEP = 3000;

	@Test
	void shouldRecoverBeyondTheRedisWindowOnAnotherGateway() {
		String channel = "workspace:deep";
		String token = TestTokens.user("rita", "deep");
		String epoch;
		long offset;
		try (WsTestClient first = connect(one, token)) {
			first.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
			JsonNode subscribed = first.awaitType("subscribed").get("data");
			epoch = subscribed.get("epoch").asString();
			offset = subscribed.get("offset").asLong();
		}
		// About 2 MB: more than a 256 KiB history page and more than the 1 MiB outbound
		// bound.
		String padding = "x".repeat(600);
		for (int i = 1; i <= DEEP; i++) {
			publish(channel, "tab:output", "{\"tabId\":\"t\",\"data\":\"" + i + ":" + padding + "\"}");
		}
		EventLogRepository repository = log.getBean(EventLogRepository.class);
		await().atMost(WAIT)
			.until(() -> repository.findAfter(channel, epoch, offset, DEEP + 1).count().block(WAIT) == DEEP);
		try (WsTestClient second = connect(two, token)) {
			second.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"epoch\":\""
					+ epoch + "\",\"offset\":" + offset + "}}}");
			assertThat(second.awaitType("subscribed").get("data").get("recovered").asBoolean()).isTrue();
			List<Long> offsets = new ArrayList<>();
			for (int i = 1; i <= DEEP; i++) {
				JsonNode event = second.awaitType("tab:output");
				offsets.add(event.get("offset").asLong());
				assertThat(event.get("data").get("data").asString()).isEqualTo(i + ":" + padding);
			}
			assertThat(offsets)
				.isEqualTo(java.util.stream.LongStream.rangeClosed(offset + 1, offset + DEEP).boxed().toList());
			publish(channel, "tab:output", "{\"tabId\":\"t\",\"data\":\"live\"}");
			assertThat(second.awaitType("tab:output").get("offset").asLong()).isEqualTo(offset + DEEP + 1);
		}
	}

	@Test
	void shouldTrackPresenceOfOneUserWithTwoConnectionsOnTwoGateways() {
		try (WsTestClient observer = connect(one, TestTokens.user("oscar", "w1"))) {
			WsTestClient tab1 = connect(one, TestTokens.user("pia", "w1"));
			assertThat(presenceOf(observer, "pia").get("status").asString()).isEqualTo("online");
			try (WsTestClient tab2 = connect(two, TestTokens.user("pia", "w1"))) {
				JsonNode listed = TestNodes.getJson(two, "/api/presence", TestTokens.user("oscar", "w1"));
				assertThat(listed.get("users").findValuesAsString("userId")).contains("pia", "oscar");
				tab1.send("{\"type\":\"user_presence\",\"data\":\"busy\"}");
				assertThat(presenceOf(observer, "pia").get("status").asString()).isEqualTo("busy");
				tab1.send("{\"type\":\"user_presence\",\"data\":\"sleepy\"}");
				assertThat(tab1.awaitType("error").get("data").get("error").asString()).contains("user_presence");
				tab1.close();
				// The other tab is still there: the user is online again, not offline.
				assertThat(presenceOf(observer, "pia").get("status").asString()).isEqualTo("online");
			}
			assertThat(presenceOf(observer, "pia").get("status").asString()).isEqualTo("offline");
			JsonNode listed = TestNodes.getJson(one, "/api/presence", TestTokens.user("oscar", "w1"));
			assertThat(listed.get("users").findValuesAsString("userId")).doesNotContain("pia").contains("oscar");
		}
	}

	@Test
	void shouldNotAnnounceOfflineAUserWhoReconnectedToAnotherGatewayWithinTheGrace() throws InterruptedException {
		try (WsTestClient observer = connect(one, TestTokens.user("olaf", "w1"))) {
			WsTestClient first = connect(one, TestTokens.user("mia", "w1"));
			assertThat(presenceOf(observer, "mia").get("status").asString()).isEqualTo("online");
			first.close();
			// node one wrote the departure (offline in the store) and holds its
			// announcement for the grace period (2 s) ...
			PresenceStore store = one.getBean(PresenceStore.class);
			await().atMost(WAIT).until(() -> !store.online().block(WAIT).containsKey("mia"));
			// ... while the page reloads on the other gateway
			try (WsTestClient second = connect(two, TestTokens.user("mia", "w1"))) {
				await().atMost(WAIT).until(() -> store.online().block(WAIT).containsKey("mia"));
				// past the grace and the interval of node one's held departure
				Thread.sleep(Duration.ofSeconds(4));
				List<String> statuses = observer.received()
					.stream()
					.filter((node) -> "user_presence".equals(node.path("type").asString())
							&& "mia".equals(node.path("data").path("userId").asString()))
					.map((node) -> node.path("data").path("status").asString())
					.toList();
				assertThat(statuses).as("mia's presence as olaf saw it").isNotEmpty().doesNotContain("offline");
				JsonNode listed = TestNodes.getJson(one, "/api/presence", TestTokens.user("olaf", "w1"));
				assertThat(listed.get("users").findValuesAsString("userId")).contains("mia");
			}
		}
	}

	@Test
	void shouldAnswerSyncRequestsPageByPageWithTheUsersChannelsOnly() {
		Instant since = Instant.now().minusMillis(1);
		List<Long> mine = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			mine.add(publish("workspace:s1", "task.statusChanged", "{\"taskId\":\"t" + i + "\"}").offset());
			publish("workspace:s2", "task.statusChanged", "{\"taskId\":\"x" + i + "\"}");
		}
		EventLogRepository repository = log.getBean(EventLogRepository.class);
		String epoch = one.getBean(Broker.class).position("workspace:s1").block(WAIT).epoch();
		await().atMost(WAIT).until(() -> repository.findAfter("workspace:s1", epoch, 0, 100).count().block(WAIT) == 12);
		try (WsTestClient client = connect(two, TestTokens.user("sam", "s1"))) {
			List<Long> synced = new ArrayList<>();
			String cursor = null;
			int pages = 0;
			String syncTimestamp = null;
			do {
				client.send("{\"type\":\"sync_request\",\"id\":" + pages + ",\"data\":{\"since\":\"" + since + "\""
						+ ((cursor != null) ? ",\"cursor\":\"" + cursor + "\"" : "") + "}}");
				JsonNode page = client.awaitType("sync_response");
				assertThat(page.get("id").asInt()).isEqualTo(pages);
				JsonNode data = page.get("data");
				assertThat(data.get("changes").size()).isLessThanOrEqualTo(5);
				for (JsonNode change : data.get("changes")) {
					assertThat(change.get("channel").asString()).isIn("workspace:s1", "broadcast", "user:sam");
					if (change.get("channel").asString().equals("workspace:s1")) {
						synced.add(change.get("offset").asLong());
					}
				}
				syncTimestamp = data.get("syncTimestamp").asString();
				cursor = data.get("hasMore").asBoolean() ? data.get("cursor").asString() : null;
				pages++;
			}
			while (cursor != null && pages < 30);
			assertThat(pages).isGreaterThanOrEqualTo(3);
			assertThat(synced).isEqualTo(mine);
			assertThat(Instant.parse(syncTimestamp)).isAfter(since);
			client.send("{\"type\":\"sync_request\",\"data\":{\"since\":\"last tuesday\"}}");
			assertThat(client.awaitType("error").get("data").get("error").asString()).contains("ISO-8601");
		}
	}

	@Test
	void shouldAllowAgentChannelsOfOwnWorkspacesOnlyAsAgentServiceKnowsThem() {
		try (WsTestClient owner = connect(one, TestTokens.user("una", "w1"));
				WsTestClient stranger = connect(one, TestTokens.user("vic", "w2"))) {
			owner.send("{\"type\":\"subscribe:agent\",\"payload\":{\"agentId\":\"a1\"}}");
			assertThat(owner.awaitType("subscribed").get("data").get("channel").asString()).isEqualTo("agent:a1");
			stranger.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"agent:a1\"}}");
			assertThat(stranger.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			owner.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"task:unknown\"}}");
			assertThat(owner.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			publish("agent:a1", "agent:output", "{\"text\":\"hi\"}");
			assertThat(owner.awaitType("agent:output").get("channel").asString()).isEqualTo("agent:a1");
		}
	}

	@Test
	void shouldKeepAClientIdItsOwnersOnEveryGateway() {
		String token = TestTokens.user("gc-alice", "gc-a");
		try (WsTestClient owner = WsTestClient.connect(TestNodes.ws(one, token),
				java.util.Map.of("x-client-id", "gc-alice-tab"))) {
			assertThat(owner.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("gc-alice-tab");
			try (WsTestClient attacker = WsTestClient.connect(TestNodes.ws(two, TestTokens.user("gc-mallory", "gc-m")),
					java.util.Map.of("x-client-id", "gc-alice-tab"))) {
				assertThat(attacker.awaitType("auth").path("data").path("clientId").asString())
					.isNotEqualTo("gc-alice-tab");
				publish("client:gc-alice-tab", "notification", "{\"title\":\"for alice\"}");
				assertThat(owner.awaitType("notification").path("channel").asString()).isEqualTo("client:gc-alice-tab");
				assertThat(attacker.received()).noneMatch((m) -> "notification".equals(m.path("type").asString()));
			}
			assertThat(owner.isClosed()).isFalse();
		}
	}

	@Test
	void shouldCountClientsAndExposeMetrics() {
		try (WsTestClient client = connect(one, TestTokens.user("wes", "w1"))) {
			client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:w1\"}}");
			client.awaitType("subscribed");
			publish("workspace:w1", "tab:output", "{\"tabId\":\"t\",\"data\":\"m\"}");
			client.awaitType("tab:output");
			JsonNode stats = TestNodes.getJson(one, "/api/stats", TestTokens.user("wes", "w1"));
			assertThat(stats.get("clients").asLong()).isGreaterThanOrEqualTo(1);
			assertThat(stats.get("authenticatedClients").asLong()).isGreaterThanOrEqualTo(1);
			assertThat(stats.get("subscriptions").asLong()).isGreaterThanOrEqualTo(1);
			TestNodes.http(one).get().uri("/api/stats").exchange().expectStatus().isUnauthorized();
			String metrics = TestNodes.http(one)
				.get()
				.uri("/actuator/prometheus")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(metrics).contains("hub_gateway_connections{authenticated=\"true\"",
					"hub_gateway_messages_in_total", "hub_gateway_messages_out_total", "hub_gateway_subscriptions",
					"hub_gateway_delivery_latency_seconds_bucket", "hub_gateway_closes_total{reason=\"slow_reader\"",
					"hub_gateway_recoveries_total{outcome=\"recovered\"",
					// the latency of the engine's Redis commands, by command
					"lettuce_command_completion_seconds_count{command=\"EVALSHA\"",
					"lettuce_command_firstresponse_seconds_max{command=\"EVALSHA\"");
		}
	}

	/**
	 * Runs last: a stopping context disposes Reactor Netty's global event loops, which
	 * every context of this JVM shares.
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void shouldCloseEverySocketWith1001OnShutdownAndDenyWhenOwnersAreUnknown() {
		ConfigurableApplicationContext three = nodes.gateway("--hub.gateway.agent-service-url=http://localhost:1",
				"--hub.gateway.owner-timeout=1s");
		try (WsTestClient client = connect(three, TestTokens.user("xia", "w1"))) {
			client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"agent:a1\"}}");
			// agent-service unreachable: fail closed.
			assertThat(client.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			three.close();
			assertThat(client.awaitClose(WAIT)).isEqualTo(1001);
		}
	}

}
