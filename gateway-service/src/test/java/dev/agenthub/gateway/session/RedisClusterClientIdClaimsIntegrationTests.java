package dev.agenthub.gateway.session;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client id claims contract on a real Redis Cluster. */
class RedisClusterClientIdClaimsIntegrationTests extends ClientIdClaimsContractTests {

	static RedisClusterClient client;

	static StatefulRedisClusterConnection<String, String> connection;

	static ClientIdClaims claims;

	@BeforeAll
	static void connect() {
		client = RedisClusterClient.create(RedisClusterFixture.uris());
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
