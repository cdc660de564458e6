package dev.agenthub.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser subscribed through a gateway while the Redis Cluster master serving its
 * channel is killed (SIGKILL) mid-stream: it receives every event in order up to the
 * failover, is told {@code recovered: false} with the channel's new epoch, and then
 * receives every event of the new epoch in order — never an event after a silent gap.
 */
class GatewayRedisClusterFailoverIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(GatewayRedisClusterFailoverIntegrationTests.class);

	static final Duration WAIT = Duration.ofSeconds(60);

	static RedisClusterFixture.Cluster cluster;

	static TestNodes nodes;

	static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		cluster = RedisClusterFixture.startPrivate();
		nodes = TestNodes.onCluster(cluster.nodes(), "--hub.redis.topology-refresh=1s", "--hub.redis.timeout=1s",
				"--hub.broker.partitions=3", "--hub.gateway.history-url=http://127.0.0.1:1");
		gateway = nodes.gateway();
	}

	@AfterAll
	static void stop() {
		nodes.close();
		cluster.close();
	}

	@Test
	void shouldResyncAClientWithRecoveredFalseAndNeverDeliverAcrossASilentGap() throws Exception {
		String channel = "workspace:fo1";
		Broker broker = gateway.getBean(Broker.class);
		String metaKey = gateway.getBean(dev.agenthub.broker.redis.RedisBrokerOptions.class).metaKey(channel);
		int victim = cluster.masterOf(SlotHash.getSlot(metaKey));
		try (WsTestClient client = WsTestClient.authenticated(TestNodes.ws(gateway, TestTokens.user("fay", "fo1")))) {
			client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
			client.awaitType("subscribed");
			List<Publication> acknowledged = new CopyOnWriteArrayList<>();
			long[] killedAt = { 0 };
			long[] resumedAt = { 0 };
			int failures = 0;
			String firstEpoch = broker.position(channel).block(WAIT).epoch();
			// Publishes until the browser gets events of the channel's new epoch (live
			// delivery is at most once: events published before the gateway's
			// subscription
			// moved to the new master reach it only through the resync), at most 2,000.
			for (int i = 1; acknowledged.size() < 2000; i++) {
				if (killedAt[0] != 0 && client.received()
					.stream()
					.anyMatch((node) -> "tab:output".equals(node.path("type").asString())
							&& !firstEpoch.equals(node.path("epoch").asString()))) {
					break;
				}
				try {
					acknowledged.add(broker
						.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
						.block(Duration.ofSeconds(3)));
					if (killedAt[0] != 0 && resumedAt[0] == 0) {
						resumedAt[0] = System.nanoTime();
					}
					if (acknowledged.size() == 100 && killedAt[0] == 0) {
						killedAt[0] = System.nanoTime();
						cluster.kill(victim);
					}
					Thread.sleep(5);
				}
				catch (RuntimeException ex) {
					failures++;
					Thread.sleep(50);
				}
			}
			assertThat(resumedAt[0]).as("publishing resumed").isPositive();
			String lastData = acknowledged.get(acknowledged.size() - 1).event().data().get("data").asString();
			client.await((node) -> "tab:output".equals(node.path("type").asString())
					&& lastData.equals(node.path("data").path("data").asString()), WAIT);
			List<JsonNode> frames = client.received();
			String epoch = null;
			long offset = 0;
			int resyncs = 0;
			int events = 0;
			for (JsonNode frame : frames) {
				String type = frame.path("type").asString();
				if ("subscribed".equals(type) && frame.path("data").has("recovered")) {
					assertThat(frame.path("data").path("recovered").asBoolean()).isFalse();
					epoch = frame.path("data").path("epoch").asString();
					offset = frame.path("data").path("offset").asLong();
					resyncs++;
				}
				else if ("subscribed".equals(type)) {
					epoch = frame.path("data").path("epoch").asString();
					offset = frame.path("data").path("offset").asLong();
				}
				else if ("tab:output".equals(type)) {
					assertThat(frame.path("epoch").asString()).as("an event of another epoch without a resync")
						.isEqualTo(epoch);
					assertThat(frame.path("offset").asLong()).as("a silent gap").isEqualTo(offset + 1);
					offset++;
					events++;
				}
			}
			assertThat(resyncs).as("told recovered:false once, for the new epoch").isOne();
			logger.info(
					"Gateway failover: publishing resumed {} ms after the kill, {} publishes refused, "
							+ "{} acknowledged, {} events delivered in order, {} resync",
					(resumedAt[0] - killedAt[0]) / 1_000_000, failures, acknowledged.size(), events, resyncs);
		}
	}

}
