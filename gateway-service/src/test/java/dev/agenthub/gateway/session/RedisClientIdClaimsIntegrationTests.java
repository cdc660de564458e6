package dev.agenthub.gateway.session;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisClientIdClaimsIntegrationTests extends ClientIdClaimsContractTests {

	static RedisClient client;

	static StatefulRedisConnection<String, String> connection;

	static ClientIdClaims claims;

	@BeforeAll
	static void connect() {
		client = RedisClient.create(RedisFixture.url());
		connection = client.connect();
		claims = new RedisClientIdClaims(RedisEngine.of(client, connection), RedisFixture.uniquePrefix(), PER_USER);
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	ClientIdClaims claims() {
		return claims;
	}

}
