package dev.agenthub.broker;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisLogFeed;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisBrokerIntegrationTests extends BrokerContractTests {

	private static RedisClient client;

	private static StatefulRedisConnection<String, String> connection;

	private static RedisBrokerOptions options;

	private static RedisBroker broker;

	private static RedisLogFeed logFeed;

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
		options = new RedisBrokerOptions(RedisFixture.uniquePrefix(), HISTORY_SIZE, Duration.ofMinutes(10),
				Duration.ofMinutes(20), 100_000);
		broker = new RedisBroker(connection, client.connectPubSub(), options);
		logFeed = new RedisLogFeed(client.connect(), connection, options);
	}

	@AfterAll
	static void cleanUp() {
		var sync = connection.sync();
		var keys = sync.keys(options.keyPrefix() + "*");
		if (!keys.isEmpty()) {
			sync.del(keys.toArray(String[]::new));
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
		var sync = connection.sync();
		sync.del(options.keyPrefix() + "ch:{" + channel + "}:meta", options.keyPrefix() + "ch:{" + channel + "}:hist");
	}

	@Override
	int subscribedChannels() {
		return broker.subscribedChannels();
	}

}
