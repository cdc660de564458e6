package dev.agenthub.agent.routing;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The node bus contract on a real Redis Cluster (sharded pub/sub). */
class RedisClusterNodeBusIntegrationTests extends NodeBusContractTests {

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
	NodeBus newBus() {
		return new RedisNodeBus(RedisEngine.of(client, connection), this.prefix);
	}

	@Override
	boolean shared() {
		return true;
	}

}
