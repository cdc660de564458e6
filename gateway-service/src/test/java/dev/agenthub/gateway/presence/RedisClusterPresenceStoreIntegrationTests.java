package dev.agenthub.gateway.presence;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real Redis Cluster (three masters, three replicas). */
class RedisClusterPresenceStoreIntegrationTests extends PresenceStoreContractTests {

	static RedisClusterClient client;

	static StatefulRedisClusterConnection<String, String> connection;

	private final String prefix = RedisFixture.uniquePrefix();

	@BeforeAll
	static void connect() {
		client = RedisClusterClient.create(RedisClusterFixture.uris());
		connection = client.connect();
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		client.shutdown();
	}

	@Override
	PresenceStore node(String nodeId, Duration ttl) {
		return new RedisPresenceStore(RedisEngine.of(client, connection), this.prefix, nodeId, ttl);
	}

}
