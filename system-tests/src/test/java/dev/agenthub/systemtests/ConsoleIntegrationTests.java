package dev.agenthub.systemtests;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.agenthub.agentclient.AgentState;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.NodeModules;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser: Debian's {@code chromium} driven by
 * {@code playwright-core} ({@code src/test/node/console.mjs}) against a hub on real Redis
 * and PostgreSQL (broadcast-service, agent-service, a gateway) with the reference sidecar
 * agent. It opens a workspace by deep link with a token, sees the agent online with its
 * version and a tab's output in the terminal, opens a shell tab from the page, types into
 * it (a line, a line edited with Backspace, a 40,000-character paste) and closes it, runs
 * commands from the page (output and exit codes), lives through a gateway restart
 * (resumed with no gap, what the agent sent meanwhile shown), and opens the operator
 * view; no errors in the browser console. Attacks from what other people put on the page:
 * reset sequences in a tab's output do not wipe the terminal; a terminal hyperlink to the
 * console itself (carrying another user's token) is not followed; a {@code #token=} link
 * for another user does not switch the tab to that user unless the user accepts the
 * page's question. A user who may only watch (an {@code exec} claim without the
 * workspace) is told so and offered no control; where the page cannot know, the hub's
 * {@code forbidden} is shown. A file uploaded from the page lands in the sidecar's
 * repository directory with its content and mode, and the page shows its path, size and
 * sha256; a path the sidecar refuses is shown refused with the hub's code; a file over
 * the bound is refused before it is sent; a watcher's upload control is off. Screenshots:
 * {@code target/console-screenshots/}.
 */
class ConsoleIntegrationTests {

	private static final File NODE_DIR = new File("src/test/node");

	private static final String WORKSPACE = "w1";

	private static final String VERSION = "9.8.7-console";

	private static HubCluster hub;

	private static ConfigurableApplicationContext gateway;

	private static Sidecar sidecar;

	private static int gatewayPort;

	/** The sidecar's repository directory, where relative upload paths go. */
	private static Path repoDir;

	/** The console's upload bound here (small, so the test can pass it). */
	private static final int UPLOAD_MAX_SIZE = 1024 * 1024;

	/** A user's connections on the gateway at most (small, so the test can fill it). */
	private static final int CONNECTIONS_PER_USER = 8;

	/** Connections holding a user at its cap until {@code free-cap}. */
	private static final List<WsTestClient> capFillers = new ArrayList<>();

	@BeforeAll
	static void start(@org.junit.jupiter.api.io.TempDir Path repo) throws Exception {
		installPlaywright();
		repoDir = repo;
		hub = new HubCluster().start();
		gatewayPort = freePort();
		gateway = startGateway();
		Files.writeString(repo.resolve("README.md"), "console test\n");
		SidecarConfig config = new SidecarConfig(URI.create("ws://127.0.0.1:" + hub.agentPort() + "/agent/ws"),
				TestTokens.agent("agent-" + WORKSPACE, WORKSPACE), WORKSPACE, null, VERSION, repo,
				Duration.ofSeconds(2), 6, Duration.ofSeconds(1),
				List.of(new TabStartRequest("t1", "sh", List.of("-c", "echo console-tab-hello; exec sleep 600"), null)),
				16, 16, Duration.ofSeconds(2), 8192, null);
		sidecar = Sidecar.start(config);
		await().atMost(Duration.ofSeconds(20)).until(() -> sidecar.client().state() == AgentState.REGISTERED);
	}

	@AfterAll
	static void stop() {
		if (sidecar != null) {
			sidecar.stop();
		}
		if (hub != null) {
			hub.close();
		}
	}

	@Test
	void shouldShowAndDriveAWorkspaceAndTheOperatorViewInABrowser() throws Exception {
		ObjectNode options = HubJson.object();
		options.put("base", "http://127.0.0.1:" + gatewayPort);
		options.put("chromium", System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
		options.put("screenshots", new File("target/console-screenshots").getAbsolutePath());
		options.put("workspace", WORKSPACE);
		options.put("version", VERSION);
		options.put("user", "carol");
		options.put("userToken", TestTokens.user("carol", WORKSPACE));
		options.put("sameUserToken", TestTokens.user("carol", WORKSPACE, "w2"));
		options.put("otherUser", "mallory");
		options.put("otherToken", TestTokens.user("mallory", WORKSPACE));
		options.put("adminToken", TestTokens.admin("root"));
		options.put("watcherToken", TestTokens.user("wendy", List.of(WORKSPACE, "w2"), List.of("w2")));
		options.put("tabText", "console-tab-hello");
		options.put("commandText", "console-command-output");
		options.put("missedText", "sent-while-the-gateway-was-down");
		options.put("uploadMaxSize", UPLOAD_MAX_SIZE);
		options.put("secret", TestTokens.SECRET);
		options.put("atWorkspace", "team@acme");
		options.put("atToken", TestTokens.user("dave", WORKSPACE, "team@acme"));
		String output = runScript(options, (step) -> {
			if (step.startsWith("tab-output ")) {
				String text = new String(Base64.getDecoder().decode(step.substring("tab-output ".length())),
						StandardCharsets.UTF_8);
				assertThat(sidecar.client().tabOutput("t1", text, "stdout")).isTrue();
				return;
			}
			if (step.startsWith("fill-cap ")) {
				fillCap(step.substring("fill-cap ".length()));
				return;
			}
			if (step.startsWith("file ")) {
				assertUploaded(step.substring("file ".length()).split(" "));
				return;
			}
			if (step.equals("free-cap")) {
				capFillers.forEach(WsTestClient::close);
				capFillers.clear();
				return;
			}
			assertThat(step).isEqualTo("restart-gateway");
			gateway.close();
			assertThat(sidecar.client().tabOutput("t1", "sent-while-the-gateway-was-down\n", "stdout")).isTrue();
			gateway = startGateway();
		});
		assertThat(output).contains("ok: no errors in the browser console").contains("PASS console");
		assertThat(new File("target/console-screenshots/workspace.png")).isFile();
		assertThat(new File("target/console-screenshots/operator.png")).isFile();
	}

	/**
	 * Opens connections of a user until the gateway refuses one for its cap
	 * ({@link #CONNECTIONS_PER_USER}), twice a second apart (a connection of the user's
	 * that was closing may free a place meanwhile); they stay open until
	 * {@code free-cap}.
	 */
	private static void fillCap(String user) {
		String url = "ws://127.0.0.1:" + gatewayPort + "/ws?subscribe=none&token=" + TestTokens.user(user, WORKSPACE);
		int refusals = 0;
		for (int i = 0; i <= 2 * CONNECTIONS_PER_USER && refusals < 2; i++) {
			WsTestClient client = WsTestClient.connect(url);
			JsonNode auth = client.awaitType("auth");
			if (auth.path("data").path("success").asBoolean(false)) {
				capFillers.add(client);
				refusals = 0;
				continue;
			}
			assertThat(auth.path("data").path("code").asString()).isEqualTo("rate_limited");
			client.close();
			refusals++;
			LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
		}
		assertThat(refusals).as("refusals at the cap of " + user).isEqualTo(2);
	}

	private static ConfigurableApplicationContext startGateway() {
		// No integration-service here: the operator view says so for its parts.
		return hub.startGateway("--server.port=" + gatewayPort, "--hub.console.integration-url=http://127.0.0.1:9",
				"--hub.gateway.connections-per-subject=" + CONNECTIONS_PER_USER,
				"--hub.console.upload-max-size=" + UPLOAD_MAX_SIZE + "B");
	}

	/**
	 * The file the page uploaded is in the sidecar's repository directory, with the
	 * content and mode the page gave, and nothing was left beside it.
	 * @param step the file's name, its mode, its content in base64
	 */
	private static void assertUploaded(String[] step) {
		Path file = repoDir.resolve(step[0]);
		try {
			assertThat(Files.readAllBytes(file)).isEqualTo(Base64.getDecoder().decode(step[2]));
			assertThat(step[1]).as("the mode the page asked").isEqualTo("0640");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
			try (Stream<Path> beside = Files.list(repoDir)) {
				assertThat(beside.map((p) -> p.getFileName().toString())).noneMatch((n) -> n.endsWith(".upload"));
			}
		}
		catch (java.io.IOException ex) {
			throw new AssertionError("cannot read " + file, ex);
		}
	}

	private static String runScript(ObjectNode options, Step steps) throws Exception {
		Process process = new ProcessBuilder("node", "console.mjs", HubJson.write(options)).directory(NODE_DIR)
			.redirectErrorStream(true)
			.start();
		StringBuilder output = new StringBuilder();
		// A platform thread: with a virtual one, a failed script left the test waiting in
		// Process.waitFor for good (seen twice on 2 cores, both carriers in the sidecar's
		// blocked pipe readers), never reporting the failure.
		Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
			try {
				if (!process.waitFor(240, TimeUnit.SECONDS)) {
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
					catch (RuntimeException | AssertionError ex) {
						answer = "failed " + ex;
					}
					answers.write(answer + "\n");
					answers.flush();
				}
			}
		}
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		watchdog.interrupt();
		assertThat(process.exitValue()).as("console.mjs output:\n%s", output).isZero();
		return output.toString();
	}

	private static void installPlaywright() throws Exception {
		NodeModules.install(NODE_DIR, "playwright-core");
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@FunctionalInterface
	private interface Step {

		void run(String step);

	}

}
