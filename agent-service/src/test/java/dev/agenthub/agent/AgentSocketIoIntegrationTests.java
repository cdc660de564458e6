package dev.agenthub.agent;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code socket.io-client} (npm, {@code src/test/node}) as a sidecar on
 * namespace {@code /agent} and as a browser on the gateway's {@code /}: the agent
 * registers (acked), streams tab events that the browser receives with their offsets,
 * gets an {@code error} event for invalid input and stays; user and forged tokens are
 * refused at CONNECT; the browser sees the workspace go offline when the agent leaves.
 */
class AgentSocketIoIntegrationTests {

	private static final File NODE_DIR = new File("src/test/node");

	private static AgentNode node;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() throws Exception {
		if (!new File(NODE_DIR, "node_modules/socket.io-client").isDirectory()) {
			Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR)
				.inheritIO()
				.start();
			assertThat(npm.waitFor(3, TimeUnit.MINUTES)).isTrue();
			assertThat(npm.exitValue()).as("npm ci").isZero();
		}
		Map<String, Object> properties = AgentNode.clusterProperties();
		node = AgentNode.start(properties);
		gateway = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.gateway.warm-up.connections=0", "--hub.engine=redis",
					"--hub.redis.url=" + properties.get("hub.redis.url"),
					"--hub.broker.key-prefix=" + properties.get("hub.broker.key-prefix"),
					"--hub.auth.jwt-secret=" + TestTokens.SECRET, "--hub.gateway.agent-service-url=" + node.url());
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (node != null) {
			node.close();
		}
	}

	@Test
	void shouldStreamFromAnAgentOnSlashAgentToABrowserOnSlash() throws Exception {
		ObjectNode options = HubJson.object();
		options.put("agentUrl", node.url());
		options.put("gatewayUrl", "http://localhost:" + gateway.getEnvironment().getProperty("local.server.port"));
		options.put("workspace", "sio1");
		options.put("agentToken", TestTokens.agent("agent-sio1", "sio1"));
		options.put("userToken", TestTokens.user("ursula", "sio1"));
		options.put("badToken", TestTokens.sign("another-secret-0123456789-0123456789-012345", "agent-sio1",
				List.of("agent"), null, "sio1", Duration.ofHours(1)));
		File log = File.createTempFile("agent-socketio", ".log");
		try {
			Process process = new ProcessBuilder("node", "scenarios.mjs", "agent-to-browser", HubJson.write(options))
				.directory(NODE_DIR)
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
			assertThat(output).as("node output").contains("PASS agent-to-browser");
			assertThat(process.exitValue()).isZero();
		}
		finally {
			log.delete();
		}
	}

}
