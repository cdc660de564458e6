package dev.agenthub.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.gateway.TestNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateways and the event log on the Redis Cluster (three masters, three replicas; a
 * 10-event history window): live delivery by sharded pub/sub across gateways, recovery
 * beyond the window through the partitioned log, presence across gateways.
 */
class GatewayRedisClusterIntegrationTests {

	static TestNodes nodes;

	static ConfigurableApplicationContext log;

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	@BeforeAll
	static void start() {
		nodes = TestNodes.onRedisCluster("--hub.broker.history-size=10", "--hub.broker.partitions=6");
		log = nodes.broadcast();
		String history = "--hub.gateway.history-url=http://localhost:" + TestNodes.port(log);
		one = nodes.gateway(history);
		two = nodes.gateway(history);
	}

	@AfterAll
	static void stop() {
		nodes.close();
	}

	static WsTestClient connect(ConfigurableApplicationContext gateway, String token) {
		return WsTestClient.authenticated(TestNodes.ws(gateway, token));
	}

	static void publish(String channel, String data) {
		one.getBean(Broker.class)
			.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + data + "\"}"))
			.block(WAIT);
	}

	@Test
	void shouldDeliverEveryChannelLiveAcrossGatewaysInOrder() {
		List<String> channels = List.of("workspace:c1", "workspace:c2", "workspace:c3", "workspace:c4");
		try (WsTestClient client = connect(two, TestTokens.user("cai", "c1", "c2", "c3", "c4"))) {
			for (String channel : channels) {
				client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
				client.awaitType("subscribed");
			}
			for (int i = 1; i <= 25; i++) {
				for (String channel : channels) {
					publish(channel, channel + "#" + i);
				}
			}
			List<String> seen = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				seen.add(client.awaitType("tab:output").get("data").get("data").asString());
			}
			for (String channel : channels) {
				List<String> ofChannel = seen.stream().filter((data) -> data.startsWith(channel + "#")).toList();
				assertThat(ofChannel).hasSize(25);
				for (int i = 0; i < 25; i++) {
					assertThat(ofChannel.get(i)).isEqualTo(channel + "#" + (i + 1));
				}
			}
		}
	}

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
		int count = 300;
		for (int i = 1; i <= count; i++) {
			publish(channel, Integer.toString(i));
		}
		EventLogRepository repository = log.getBean(EventLogRepository.class);
		await().atMost(WAIT)
			.until(() -> repository.findAfter(channel, epoch, offset, count + 1).count().block(WAIT) == count);
		try (WsTestClient second = connect(two, token)) {
			second.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"epoch\":\""
					+ epoch + "\",\"offset\":" + offset + "}}}");
			assertThat(second.awaitType("subscribed").get("data").get("recovered").asBoolean()).isTrue();
			List<Long> offsets = new ArrayList<>();
			for (int i = 1; i <= count; i++) {
				JsonNode event = second.awaitType("tab:output");
				offsets.add(event.get("offset").asLong());
				assertThat(event.get("data").get("data").asString()).isEqualTo(Integer.toString(i));
			}
			assertThat(offsets).isEqualTo(LongStream.rangeClosed(offset + 1, offset + count).boxed().toList());
		}
	}

	@Test
	void shouldTrackPresenceAcrossGateways() {
		try (WsTestClient observer = connect(one, TestTokens.user("olga", "w1"))) {
			try (WsTestClient other = connect(two, TestTokens.user("paul", "w1"))) {
				JsonNode presence = observer
					.await((node) -> "user_presence".equals(node.path("type").asString())
							&& "paul".equals(node.path("data").path("userId").asString()))
					.get("data");
				assertThat(presence.get("status").asString()).isEqualTo("online");
				JsonNode listed = TestNodes.getJson(two, "/api/presence", TestTokens.user("olga", "w1"));
				assertThat(listed.get("users").findValuesAsString("userId")).contains("paul", "olga");
			}
		}
	}

}
