package dev.agenthub.agent.routing;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisNodeBusIntegrationTests extends NodeBusContractTests {

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
	NodeBus newBus() {
		return new RedisNodeBus(RedisEngine.of(client, connection), this.prefix);
	}

	@Override
	boolean shared() {
		return true;
	}

}
