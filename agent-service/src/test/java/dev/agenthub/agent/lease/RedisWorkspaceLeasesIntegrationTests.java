package dev.agenthub.agent.lease;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisWorkspaceLeasesIntegrationTests extends WorkspaceLeasesContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

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
	WorkspaceLeases leases(Duration ttl) {
		return new RedisWorkspaceLeases(RedisEngine.of(client, connection), RedisFixture.uniquePrefix(), ttl);
	}

}
