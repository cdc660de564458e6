package dev.agenthub.systemtests;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.agent.AgentServiceApplication;
import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.integration.IntegrationServiceApplication;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The hub as separate services on one real Redis (its own key prefix) and one real
 * PostgreSQL database, each service a Spring context on a random port: broadcast-service,
 * agent-service and any number of gateways.
 */
final class HubCluster implements AutoCloseable {

	private final String keyPrefix = RedisFixture.uniquePrefix();

	private final PostgresFixture.Database database = PostgresFixture.newDatabase();

	private final List<String> extra;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private ConfigurableApplicationContext broadcast;

	private ConfigurableApplicationContext agents;

	HubCluster(String... extraProperties) {
		this.extra = List.of(extraProperties);
	}

	HubCluster start() {
		this.broadcast = run(BroadcastServiceApplication.class);
		this.agents = run(AgentServiceApplication.class);
		return this;
	}

	/** Starts another gateway instance. */
	ConfigurableApplicationContext startGateway() {
		return startGateway(new String[0]);
	}

	/** Starts another gateway instance with more arguments (e.g. its own server.port). */
	ConfigurableApplicationContext startGateway(String... more) {
		List<String> args = new ArrayList<>(
				List.of("--hub.gateway.history-url=http://localhost:" + port(this.broadcast),
						"--hub.gateway.agent-service-url=http://localhost:" + port(this.agents)));
		args.addAll(List.of(more));
		return run(GatewayServiceApplication.class, args.toArray(String[]::new));
	}

	/**
	 * Starts integration-service (Tailscale not configured unless {@code more} says so).
	 */
	ConfigurableApplicationContext startIntegration(String... more) {
		return run(IntegrationServiceApplication.class, more);
	}

	int broadcastPort() {
		return port(this.broadcast);
	}

	int agentPort() {
		return port(this.agents);
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private ConfigurableApplicationContext run(Class<?> application, String... more) {
		List<String> args = new ArrayList<>(HubTestProperties.asArgs(HubTestProperties.redisEngine(this.keyPrefix),
				HubTestProperties.postgres(this.database)));
		boolean ownPort = java.util.Arrays.stream(more).anyMatch((arg) -> arg.startsWith("--server.port="));
		// no loopback warm-up clients beside the ones the tests open and count
		args.addAll(List.of("--spring.config.name=system-test", "--spring.main.banner-mode=off",
				"--hub.gateway.warm-up.connections=0"));
		if (!ownPort) {
			args.add("--server.port=0");
		}
		args.addAll(this.extra);
		args.addAll(List.of(more));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.REACTIVE)
			.initializers((ConfigurableApplicationContext created) -> {
				// Event loops of its own: closing one service (a gateway restart) must
				// not stop the others, as the global Reactor Netty resources would.
				((GenericApplicationContext) created).registerBean(ReactorResourceFactory.class, () -> {
					ReactorResourceFactory factory = new ReactorResourceFactory();
					factory.setUseGlobalResources(false);
					return factory;
				});
			})
			.run(args.toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	@Override
	public void close() {
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

}
