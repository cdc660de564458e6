package dev.agenthub.gateway.socketio;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisResumeStoreIntegrationTests extends ResumeStoreContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

	static ResumeStore store;

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
		store = new RedisResumeStore(RedisEngine.of(client, connection), RedisFixture.uniquePrefix());
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	ResumeStore store() {
		return store;
	}

}
