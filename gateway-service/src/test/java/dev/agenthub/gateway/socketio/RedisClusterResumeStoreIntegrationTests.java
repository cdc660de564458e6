package dev.agenthub.gateway.socketio;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The resume store contract on a real Redis Cluster. */
class RedisClusterResumeStoreIntegrationTests extends ResumeStoreContractTests {

	static RedisClusterClient client;

	static StatefulRedisClusterConnection<String, String> connection;

	static ResumeStore store;

	@BeforeAll
	static void connect() {
		client = RedisClusterClient.create(RedisClusterFixture.uris());
		connection = client.connect();
		store = new RedisResumeStore(RedisEngine.of(client, connection), RedisFixture.uniquePrefix(), PER_USER);
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
