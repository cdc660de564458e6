package dev.agenthub.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisClusterFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Runs hub services as separate application contexts in the test JVM, each on a random
 * port, all on one Redis key prefix (one Redis, or the Redis Cluster): several gateways
 * and, where needed, the real event log (broadcast-service on its own PostgreSQL
 * database).
 */
final class TestNodes implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(15);

	final String prefix = RedisFixture.uniquePrefix();

	private final List<String> common;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	TestNodes(String... extra) {
		this(List.of("--hub.engine=redis", "--hub.redis.url=" + RedisFixture.url()), extra);
	}

	private TestNodes(List<String> engine, String... extra) {
		this.common = new ArrayList<>(engine);
		this.common.addAll(List.of("--server.port=0", "--hub.broker.key-prefix=" + this.prefix,
				"--hub.auth.jwt-secret=" + TestTokens.SECRET, "--spring.main.banner-mode=off",
				// presence apart from the channels these tests count offsets on
				"--hub.gateway.presence-audience=everyone"));
		this.common.addAll(List.of(extra));
	}

	/** Nodes on the test Redis Cluster (three masters, three replicas). */
	static TestNodes onRedisCluster(String... extra) {
		return onCluster(RedisClusterFixture.nodes(), extra);
	}

	/** Nodes on the given Redis Cluster ({@code host:port,...}). */
	static TestNodes onCluster(String clusterNodes, String... extra) {
		return new TestNodes(List.of("--hub.engine=redis-cluster", "--hub.redis.cluster-nodes=" + clusterNodes), extra);
	}

	/** Starts broadcast-service on a new PostgreSQL database. */
	ConfigurableApplicationContext broadcast() {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		return start(BroadcastServiceApplication.class, "--hub.postgres.url=" + database.r2dbcUrl().substring(6),
				"--hub.postgres.user=" + database.username());
	}

	/** Starts a gateway. */
	ConfigurableApplicationContext gateway(String... args) {
		return start(GatewayServiceApplication.class, args);
	}

	private ConfigurableApplicationContext start(Class<?> application, String... args) {
		List<String> all = new ArrayList<>();
		for (String option : this.common) {
			String key = option.substring(0, option.indexOf('=') + 1);
			// A repeated option would be joined with a comma: the node's own one wins.
			if (java.util.Arrays.stream(args).noneMatch((arg) -> arg.startsWith(key))) {
				all.add(option);
			}
		}
		all.addAll(List.of(args));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.initializers((ConfigurableApplicationContext created) -> {
				// Event loops of its own: stopping one node must not stop the others (the
				// global Reactor Netty resources are disposed with the context using
				// them).
				((GenericApplicationContext) created).registerBean(ReactorResourceFactory.class, () -> {
					ReactorResourceFactory factory = new ReactorResourceFactory();
					factory.setUseGlobalResources(false);
					return factory;
				});
			})
			.run(all.toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * A browser's URL that subscribes to what it watches itself ({@code subscribe=none}).
	 */
	static String ws(ConfigurableApplicationContext gateway, String token) {
		return "ws://localhost:" + port(gateway) + "/ws?subscribe=none&token=" + token;
	}

	static WebTestClient http(ConfigurableApplicationContext context) {
		return TestHttp.client(port(context), WAIT);
	}

	static JsonNode getJson(ConfigurableApplicationContext context, String path, String token) {
		return TestHttp.getJson(port(context), WAIT, path, token);
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

}
