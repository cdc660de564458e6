package dev.agenthub.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
		// Every context reads hub.yml / hub.properties (./ or ./config/), never a
		// module's
		// application.yml: the services share one classpath here.
		String[] common = { "--spring.config.name=hub" };
		ConfigurableApplicationContext parent = new SpringApplicationBuilder(SharedEngine.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(concat(args, common));
		Map<HubService, ConfigurableApplicationContext> services = new EnumMap<>(HubService.class);
		for (HubService service : HubService.selected(System.getenv("HUB_SERVICES"))) {
			String[] own = { "--server.port=" + service.port(), "--spring.application.name=" + service.serviceName() };
			services.put(service, new SpringApplicationBuilder(service.application()).parent(parent)
				// defaults only: the services find each other (and provisioning tells
				// containers where they are) on this hub's ports
				.properties("hub.provision.agent-service-url=http://localhost:" + HubService.AGENT.port(),
						"hub.provision.public-url=http://localhost:" + HubService.INTEGRATION.port(),
						"hub.gateway.agent-service-url=http://localhost:" + HubService.AGENT.port(),
						"hub.gateway.history-url=http://localhost:" + HubService.BROADCAST.port())
				.web(WebApplicationType.REACTIVE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.run(concat(args, common, own)));
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			List<ConfigurableApplicationContext> reverse = new ArrayList<>(services.values());
			Collections.reverse(reverse);
			reverse.forEach(ConfigurableApplicationContext::close);
			parent.close();
		}, "hub-shutdown"));
		announce(parent.getEnvironment());
	}

	private static void announce(Environment environment) {
		HubAuthProperties auth = Binder.get(environment)
			.bind("hub.auth", HubAuthProperties.class)
			.orElse(new HubAuthProperties(null, null, false));
		String engine = environment.getProperty("hub.engine", "memory");
		String database = environment.getProperty("hub.postgres.url", "");
		String dataDir = environment.getProperty("hub.database.data-dir", ".hub-data");
		Map<String, String> tokens = new LinkedHashMap<>();
		// Development tokens only from the generated development secret: never from a
		// configured one (a log or a file would then hold tokens valid against a real
		// deployment), never in production.
		if (DevSecret.isGenerated(auth)) {
			DevTokens minter = DevTokens.of(auth);
			tokens.put("user", minter.mint("dev-user", List.of("user"), List.of("w1", "w2"), null, TOKEN_TTL));
			tokens.put("agent", minter.mint("dev-agent-w1", List.of("agent"), null, "w1", TOKEN_TTL));
			tokens.put("service", minter.mint("dev-service", List.of("service"), null, null, TOKEN_TTL));
			tokens.put("admin", minter.mint("dev-admin", List.of("admin"), List.of("*"), null, TOKEN_TTL));
			writeTokens(Path.of(dataDir), tokens);
		}
		StringBuilder out = new StringBuilder();
		out.append("\n==================== agent hub is up ====================\n");
		out.append("engine: ")
			.append(engine)
			.append(", database: ")
			.append(database.isBlank() ? "embedded H2 in " + Path.of(dataDir).toAbsolutePath() : database)
			.append('\n');
		out.append(String.format("  browsers      ws://localhost:%d/ws   (Socket.IO: http://localhost:%d/socket.io/)%n",
				HubService.GATEWAY.port(), HubService.GATEWAY.port()));
		out.append(String.format("  agents        ws://localhost:%d/agent/ws%n", HubService.AGENT.port()));
		out.append(String.format("  event log     http://localhost:%d/api/channels/{channel}/events, /api/publish%n",
				HubService.BROADCAST.port()));
		out.append(String.format("  integrations  http://localhost:%d/api/tailscale/..., /api/cdp-shim/...%n",
				HubService.INTEGRATION.port()));
		out.append("  health        http://localhost:{8080..8083}/actuator/health\n");
		String console = "http://localhost:" + HubService.GATEWAY.port() + "/console/";
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
		System.out.println(out);
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
