package dev.agenthub.gateway.presence;

import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisPresenceDirectoryIntegrationTests extends PresenceDirectoryContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

	private final String prefix = RedisFixture.uniquePrefix();

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	PresenceDirectory directory() {
		return new RedisPresenceDirectory(dev.agenthub.broker.redis.RedisEngine.of(client, connection), this.prefix);
	}

}
