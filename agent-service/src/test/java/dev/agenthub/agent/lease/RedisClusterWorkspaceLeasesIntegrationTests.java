package dev.agenthub.agent.lease;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real Redis Cluster (three masters, three replicas). */
class RedisClusterWorkspaceLeasesIntegrationTests extends WorkspaceLeasesContractTests {

	static RedisClusterClient client;

	static StatefulRedisClusterConnection<String, String> connection;

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
	WorkspaceLeases leases(Duration ttl) {
		return new RedisWorkspaceLeases(RedisEngine.of(client, connection), RedisFixture.uniquePrefix(), ttl);
	}

}
