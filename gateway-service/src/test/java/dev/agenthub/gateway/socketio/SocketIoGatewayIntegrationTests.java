package dev.agenthub.gateway.socketio;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.testsupport.NodeModules;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code socket.io-client} (npm, {@code src/test/node}) against real
 * gateways on one Redis: auth and {@code connect_error}, subscribe by ack and hub events
 * with their offsets, seed 004's names, errors through acks, the user's implicit channel,
 * polling only, upgrade to WebSocket, and recovery after a gateway restart and onto
 * another gateway.
 */
class SocketIoGatewayIntegrationTests {

	private static final File NODE_DIR = new File("src/test/node");

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final String prefix = RedisFixture.uniquePrefix();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void installClient() throws Exception {
		NodeModules.install(NODE_DIR, "socket.io-client");
	}

	@AfterEach
	void stopGateways() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void shouldSubscribeReceiveEventsAndAnswerThroughAcks() throws Exception {
		ConfigurableApplicationContext gateway = gateway(freePort());
		String user = "alice";
		runScenario("connect-subscribe", options(gateway, TestTokens.user(user, "w1", "w2"), "workspace:w1"),
				(step) -> {
					if (step.equals("notify")) {
						publish(gateway, "user:" + user, "notification", "{\"text\":\"hi\"}");
					}
					else {
						publishStep(gateway, step);
					}
				});
	}

	@Test
	void shouldRefuseABadTokenWithConnectError() throws Exception {
		ConfigurableApplicationContext gateway = gateway(freePort());
		ObjectNode options = options(gateway, TestTokens.user("bob", "w1"), "workspace:w1");
		options.put("badToken", TestTokens.sign("another-secret-0123456789-0123456789-012345", "eve", List.of("admin"),
				List.of("*"), null, Duration.ofHours(1)));
		runScenario("bad-token", options, (step) -> {
		});
	}

	@Test
	void shouldWorkOverPollingOnlyAndAfterAnUpgradeAndApplyTheRateLimit() throws Exception {
		ConfigurableApplicationContext gateway = gateway(freePort());
		runScenario("polling-only", options(gateway, TestTokens.user("carol", "w3"), "workspace:w3"),
				(step) -> publishStep(gateway, step));
		runScenario("upgrade", options(gateway, TestTokens.user("carol", "w3"), "workspace:w3"),
				(step) -> publishStep(gateway, step));
		runScenario("rate-limit", options(gateway, TestTokens.user("carol", "w3"), "workspace:w3"), (step) -> {
		});
		MeterRegistry meters = gateway.getBean(MeterRegistry.class);
		assertThat(meters.counter(MicrometerSocketIoMetrics.UPGRADES).count()).isGreaterThanOrEqualTo(1);
		assertThat(meters.counter(MicrometerSocketIoMetrics.SESSIONS_OPENED, "transport", "polling").count())
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void shouldRecoverMissedEventsAfterTheGatewayRestarts() throws Exception {
		int port = freePort();
		ConfigurableApplicationContext[] gateway = { gateway(port) };
		ConfigurableApplicationContext other = gateway(freePort());
		String channel = "workspace:r1";
		runScenario("recovery", options(gateway[0], TestTokens.user("dave", "r1"), channel), (step) -> {
			if (step.equals("restart")) {
				gateway[0].close();
				publish(other, channel, "tab:output", "{\"tabId\":\"t1\",\"data\":\"missed-1\"}");
				publish(other, channel, "tab:output", "{\"tabId\":\"t1\",\"data\":\"missed-2\"}");
				gateway[0] = gateway(port);
			}
			else {
				publishStep(other, step);
			}
		});
	}

	@Test
	void shouldRecoverMissedEventsOnAnotherGateway() throws Exception {
		ConfigurableApplicationContext first = gateway(freePort());
		ConfigurableApplicationContext second = gateway(freePort());
		String channel = "workspace:r2";
		ObjectNode options = options(first, TestTokens.user("erin", "r2"), channel);
		options.put("otherUrl", "http://127.0.0.1:" + port(second));
		runScenario("recovery", options, (step) -> {
			if (step.equals("restart")) {
				first.close();
				publish(second, channel, "tab:output", "{\"tabId\":\"t1\",\"data\":\"missed-1\"}");
				publish(second, channel, "tab:output", "{\"tabId\":\"t1\",\"data\":\"missed-2\"}");
			}
			else {
				publishStep(second, step);
			}
		});
	}

	/** {@code publish <channel> <text>}: a {@code tab:output} with that text. */
	private static void publishStep(ConfigurableApplicationContext gateway, String step) {
		String[] parts = step.split(" ");
		assertThat(parts[0]).isEqualTo("publish");
		publish(gateway, parts[1], "tab:output", "{\"tabId\":\"t1\",\"data\":\"" + parts[2] + "\"}");
	}

	private static void publish(ConfigurableApplicationContext gateway, String channel, String type, String json) {
		gateway.getBean(Broker.class).publish(channel, type, HubJson.parse(json)).block(WAIT);
	}

	private static ObjectNode options(ConfigurableApplicationContext gateway, String token, String channel) {
		ObjectNode options = HubJson.object();
		options.put("url", "http://127.0.0.1:" + port(gateway));
		options.put("token", token);
		options.put("channel", channel);
		return options;
	}

	private ConfigurableApplicationContext gateway(int port) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.initializers((ConfigurableApplicationContext created) -> {
				// Event loops of its own: closing one gateway must not stop the other.
				((GenericApplicationContext) created).registerBean(ReactorResourceFactory.class, () -> {
					ReactorResourceFactory factory = new ReactorResourceFactory();
					factory.setUseGlobalResources(false);
					return factory;
				});
			})
			.run("--server.port=" + port, "--hub.engine=redis", "--hub.redis.url=" + RedisFixture.url(),
					"--hub.broker.key-prefix=" + this.prefix, "--hub.auth.jwt-secret=" + TestTokens.SECRET,
					"--spring.main.banner-mode=off");
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	/**
	 * Runs a node scenario, answering each {@code STEP} line once {@code steps} has done
	 * it; fails with the script's output unless it passes within the time limit.
	 */
	private static void runScenario(String scenario, ObjectNode options, StepHandler steps) throws Exception {
		Process process = new ProcessBuilder("node", "scenarios.mjs", scenario, HubJson.write(options))
			.directory(NODE_DIR)
			.redirectErrorStream(true)
			.start();
		StringBuilder output = new StringBuilder();
		Thread watchdog = Thread.ofVirtual().start(() -> {
			try {
				if (!process.waitFor(120, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
			}
		});
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				Writer answers = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
			String line;
			while ((line = lines.readLine()) != null) {
				output.append(line).append('\n');
				if (line.startsWith("STEP ")) {
					String answer = "ok";
					try {
						steps.run(line.substring(5));
					}
					catch (RuntimeException ex) {
						answer = "failed " + ex;
					}
					answers.write(answer + "\n");
					answers.flush();
				}
			}
		}
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		watchdog.interrupt();
		assertThat(output.toString()).as("node output").contains("PASS " + scenario);
		assertThat(process.exitValue()).isZero();
	}

	@FunctionalInterface
	private interface StepHandler {

		void run(String step);

	}

}
