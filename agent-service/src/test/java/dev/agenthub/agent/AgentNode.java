package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * An agent-service instance started by a test (several may share one Redis prefix and one
 * database, like instances of a cluster), on a random port unless told otherwise.
 */
final class AgentNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private AgentNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Properties for nodes sharing a fresh Redis prefix and a fresh PostgreSQL database.
	 */
	static Map<String, Object> clusterProperties() {
		PostgresFixture.Database db = PostgresFixture.newDatabase();
		Map<String, Object> properties = new HashMap<>();
		properties.put("hub.engine", "redis");
		properties.put("hub.redis.url", RedisFixture.url());
		properties.put("hub.broker.key-prefix", RedisFixture.uniquePrefix());
		properties.put("hub.auth.jwt-secret", TestTokens.SECRET);
		properties.put("hub.postgres.url", db.r2dbcUrl().substring("r2dbc:".length()));
		properties.put("hub.postgres.user", db.username());
		properties.put("server.port", "0");
		return properties;
	}

	/**
	 * Properties for nodes on the test Redis Cluster (three masters, three replicas) and
	 * a fresh PostgreSQL database.
	 */
	static Map<String, Object> redisClusterProperties() {
		Map<String, Object> properties = clusterProperties();
		properties.remove("hub.redis.url");
		properties.put("hub.engine", "redis-cluster");
		properties.put("hub.redis.cluster-nodes", RedisClusterFixture.nodes());
		return properties;
	}

	static AgentNode start(Map<String, Object> properties) {
		// As arguments: they must win over the service's own property sources.
		String[] args = properties.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new AgentNode(
				new SpringApplicationBuilder(AgentServiceApplication.class).properties("spring.main.banner-mode=off")
					.run(args));
	}

	int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	String url() {
		return "http://localhost:" + port();
	}

	String agentUrl(String token) {
		return "ws://localhost:" + port() + "/agent/ws?token=" + token;
	}

	/**
	 * Starts the reference sidecar agent for a workspace on this node and waits until the
	 * node records it connected.
	 * @param agentId the sidecar's agent id (its token's subject)
	 * @param workspaceId the workspace it serves
	 * @param dir its repository directory
	 * @param wait the longest wait
	 */
	Sidecar sidecar(String agentId, String workspaceId, Path dir, Duration wait) {
		Sidecar sidecar = Sidecar.start(SidecarConfig.of(URI.create("ws://localhost:" + port() + "/agent/ws"),
				TestTokens.agent(agentId, workspaceId), workspaceId, dir));
		await().atMost(wait).until(() -> {
			AgentRecord agent = bean(AgentStore.class).find(workspaceId).block(wait);
			return agent != null && "connected".equals(agent.status());
		});
		return sidecar;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
