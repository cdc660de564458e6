package dev.agenthub.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.support.auth.DevSecret;
import dev.agenthub.support.auth.DevTokens;
import dev.agenthub.support.auth.HubAuthProperties;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Runs the whole hub in one JVM: a parent context with the shared engine and one child
 * context per service, each on its usual port. With no configuration it needs nothing
 * outside the JVM (memory engine, embedded H2 under {@code ./.hub-data}); the same
 * variables as for the separate services switch it to Redis and PostgreSQL, and
 * {@code HUB_SERVICES} (e.g. {@code gateway}) runs only some of them, which is how one
 * image serves every Kubernetes deployment. On start it prints the URLs and development
 * tokens, and writes the tokens to {@code <data dir>/dev-tokens.json} for scripts.
 */
public final class HubLauncher {

	private static final Duration TOKEN_TTL = Duration.ofHours(24);

	private HubLauncher() {
	}

	public static void main(String[] args) {
		Map<HubService, Integer> ports = new EnumMap<>(HubService.class);
		for (HubService service : HubService.values()) {
			ports.put(service, service.port());
		}
		RunningHub hub = start(args, HubService.selected(System.getenv("HUB_SERVICES")), ports);
		Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
		announce(hub.parent().getEnvironment(), ports);
	}

	/**
	 * Starts the shared engine and the services, each on its port. Nothing else closes
	 * them: not Spring Boot's shutdown hook, which would close the contexts in its own
	 * order, the parent's engine first, while the services still drain.
	 */
	static RunningHub start(String[] args, List<HubService> selected, Map<HubService, Integer> ports) {
		// Every context reads hub.yml / hub.properties (./ or ./config/), never a
		// module's application.yml: the services share one classpath here.
		String[] common = { "--spring.config.name=hub" };
		ConfigurableApplicationContext parent = new SpringApplicationBuilder(SharedEngine.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.run(concat(args, common));
		List<ConfigurableApplicationContext> services = new ArrayList<>();
		try {
			for (HubService service : selected) {
				String[] own = { "--server.port=" + ports.get(service),
						"--spring.application.name=" + service.serviceName() };
				services.add(new SpringApplicationBuilder(service.application()).parent(parent)
					// defaults only: the services find each other (and provisioning tells
					// containers where they are) on this hub's ports
					.properties("hub.provision.agent-service-url=http://localhost:" + ports.get(HubService.AGENT),
							"hub.provision.public-url=http://localhost:" + ports.get(HubService.INTEGRATION),
							"hub.gateway.agent-service-url=http://localhost:" + ports.get(HubService.AGENT),
							"hub.gateway.history-url=http://localhost:" + ports.get(HubService.BROADCAST),
							"hub.console.integration-url=http://localhost:" + ports.get(HubService.INTEGRATION))
					.web(WebApplicationType.REACTIVE)
					.bannerMode(Banner.Mode.OFF)
					.logStartupInfo(false)
					.registerShutdownHook(false)
					.run(concat(args, common, own)));
			}
		}
		catch (RuntimeException ex) {
			new RunningHub(parent, services).close();
			throw ex;
		}
		return new RunningHub(parent, services);
	}

	/**
	 * The development tokens (user, agent, service, admin), or none: only from the
	 * generated development secret, never from a configured one (a log or a file would
	 * then hold tokens valid against a real deployment), never in production.
	 */
	static Map<String, String> devTokens(Environment environment) {
		HubAuthProperties auth = Binder.get(environment)
			.bind("hub.auth", HubAuthProperties.class)
			.orElse(new HubAuthProperties(null, null, false));
		Map<String, String> tokens = new LinkedHashMap<>();
		if (DevSecret.isGenerated(auth)) {
			DevTokens minter = DevTokens.of(auth);
			tokens.put("user", minter.mint("dev-user", List.of("user"), List.of("w1", "w2"), null, TOKEN_TTL));
			tokens.put("agent", minter.mint("dev-agent-w1", List.of("agent"), null, "w1", TOKEN_TTL));
			tokens.put("service", minter.mint("dev-service", List.of("service"), null, null, TOKEN_TTL));
			tokens.put("admin", minter.mint("dev-admin", List.of("admin"), List.of("*"), null, TOKEN_TTL));
		}
		return tokens;
	}

	private static void announce(Environment environment, Map<HubService, Integer> ports) {
		String dataDir = environment.getProperty("hub.database.data-dir", ".hub-data");
		Map<String, String> tokens = devTokens(environment);
		if (!tokens.isEmpty()) {
			writeTokens(Path.of(dataDir), tokens);
		}
		System.out.println(banner(environment, ports, tokens));
	}

	/**
	 * The services' ports, lowest first, as {@code curl} globs them: {@code {9180,9181}}.
	 */
	private static String healthPorts(Map<HubService, Integer> ports) {
		List<String> distinct = ports.values().stream().sorted().distinct().map(String::valueOf).toList();
		return (distinct.size() == 1) ? distinct.get(0) : "{" + String.join(",", distinct) + "}";
	}

	/** What the launcher prints once the hub is up: where each service listens. */
	static String banner(Environment environment, Map<HubService, Integer> ports, Map<String, String> tokens) {
		String engine = environment.getProperty("hub.engine", "memory");
		String database = environment.getProperty("hub.postgres.url", "");
		String dataDir = environment.getProperty("hub.database.data-dir", ".hub-data");
		StringBuilder out = new StringBuilder();
		out.append("\n==================== agent hub is up ====================\n");
		out.append("engine: ")
			.append(engine)
			.append(", database: ")
			.append(database.isBlank() ? "embedded H2 in " + Path.of(dataDir).toAbsolutePath() : database)
			.append('\n');
		out.append(String.format("  browsers      ws://localhost:%d/ws   (Socket.IO: http://localhost:%d/socket.io/)%n",
				ports.get(HubService.GATEWAY), ports.get(HubService.GATEWAY)));
		out.append(String.format("  agents        ws://localhost:%d/agent/ws%n", ports.get(HubService.AGENT)));
		out.append(String.format("  event log     http://localhost:%d/api/channels/{channel}/events, /api/publish%n",
				ports.get(HubService.BROADCAST)));
		out.append(String.format("  integrations  http://localhost:%d/api/tailscale/..., /api/cdp-shim/...%n",
				ports.get(HubService.INTEGRATION)));
		out.append("  health        http://localhost:").append(healthPorts(ports)).append("/actuator/health\n");
		String console = "http://localhost:" + ports.get(HubService.GATEWAY) + "/console/";
		if (tokens.isEmpty()) {
			out.append("  web console   ").append(console).append('\n');
		}
		else {
			out.append("web console (the link signs in; the token leaves the address bar):\n");
			out.append("  workspace w1  ")
				.append(console)
				.append("workspaces/w1#token=")
				.append(tokens.get("user"))
				.append('\n');
			out.append("  operator      ")
				.append(console)
				.append("operator#token=")
				.append(tokens.get("admin"))
				.append('\n');
		}
		if (!tokens.isEmpty()) {
			out.append("development tokens (24 h; also in ").append(Path.of(dataDir, "dev-tokens.json")).append("):\n");
			out.append("  user  (workspaces w1, w2): ").append(tokens.get("user")).append('\n');
			out.append("  agent (workspace w1):      ").append(tokens.get("agent")).append('\n');
			out.append("  service:                   ").append(tokens.get("service")).append('\n');
			out.append("  admin:                     ").append(tokens.get("admin")).append('\n');
		}
		out.append("==========================================================\n");
		return out.toString();
	}

	private static void writeTokens(Path dataDir, Map<String, String> tokens) {
		try {
			DevTokenFile.write(dataDir, tokens);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String[] concat(String[]... parts) {
		List<String> all = new ArrayList<>();
		for (String[] part : parts) {
			all.addAll(List.of(part));
		}
		return all.toArray(String[]::new);
	}

}
