package dev.agenthub.broker;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisLogFeed;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker contract on a real Redis Cluster (three masters, three replicas). */
class RedisClusterBrokerIntegrationTests extends BrokerContractTests {

	static final int PARTITIONS = 8;

	private static RedisClusterClient client;

	private static StatefulRedisClusterConnection<String, String> connection;

	private static RedisBrokerOptions options;

	private static RedisBroker broker;

	private static RedisLogFeed logFeed;

	@BeforeAll
	static void connect() {
		client = RedisClusterClient.create(RedisClusterFixture.uris());
		connection = client.connect();
		options = new RedisBrokerOptions(RedisFixture.uniquePrefix(), HISTORY_SIZE, Duration.ofMinutes(10),
				Duration.ofMinutes(20), 100_000, PARTITIONS)
			.withBytes(HISTORY_BYTES, 64L << 20);
		broker = new RedisBroker(connection, client.connectPubSub(), options);
		logFeed = new RedisLogFeed(connection, options, RedisLogFeed.CLAIM_IDLE);
	}

	@AfterAll
	static void cleanUp() {
		var sync = connection.sync();
		var keys = sync.keys(options.keyPrefix() + "*");
		for (String key : keys) {
			sync.del(key);
		}
		client.shutdown();
	}

	@Override
	Broker broker() {
		return broker;
	}

	@Override
	LogFeed logFeed() {
		return logFeed;
	}

	@Override
	void loseHistory(String channel) {
		connection.sync().del(options.metaKey(channel), options.historyKey(channel));
	}

	@Override
	int subscribedChannels() {
		return broker.subscribedChannels();
	}

	@Override
	boolean holdsState(String channel) {
		return connection.sync().exists(options.metaKey(channel), options.historyKey(channel)) > 0;
	}

	@Test
	void shouldSpreadChannelsOverEveryMaster() {
		Set<String> masters = new HashSet<>();
		for (int i = 0; i < 64; i++) {
			String channel = channel();
			broker.publish(channel, "tab:output", data(i)).block(WAIT);
			String key = options.metaKey(channel);
			assertThat(connection.sync().exists(key)).isOne();
			masters.add(connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key)).getNodeId());
		}
		assertThat(masters).hasSize(3);
	}

}
