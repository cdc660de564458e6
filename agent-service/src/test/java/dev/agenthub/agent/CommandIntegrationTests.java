package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agent.task.TaskRecord;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.agentclient.AgentState;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 001's flow end to end: a browser on the gateway sends {@code command}, the gateway
 * forwards it to agent-service, the real sidecar runs it, and its output and status
 * stream back to the browser in order; plus the REST API around commands and tasks.
 */
class CommandIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	static Path repo;

	static AgentNode node;

	static ConfigurableApplicationContext gateway;

	static Sidecar sidecar;

	@BeforeAll
	static void start() {
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
		if (sidecar != null) {
			sidecar.stop();
		}
		gateway.close();
		node.close();
	}

	static WsTestClient browser(String token) {
		String port = gateway.getEnvironment().getProperty("local.server.port");
		return WsTestClient.authenticated("ws://localhost:" + port + "/ws?token=" + token);
	}

	/** The sidecar of workspace g1 (started once, by the first test that needs it). */
	static synchronized void sidecarForG1() {
		if (sidecar == null) {
			sidecar = Sidecar.start(SidecarConfig.of(URI.create("ws://localhost:" + node.port() + "/agent/ws"),
					TestTokens.agent("sidecar-g1", "g1"), "g1", repo));
		}
		await().atMost(WAIT)
			.until(() -> Http.get(node.url() + "/api/workspaces/g1/agent", TestTokens.admin("a"))
				.body()
				.path("status")
				.asString()
				.equals("connected"));
	}

	static List<Publication> watch(String channel) {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = node.bean(Broker.class).subscribe(channel, seen::add).block(WAIT);
		assertThat(registration).isNotNull();
		return seen;
	}

	@Test
	void shouldRunABrowsersCommandInTheSidecarAndStreamOutputAndStatusBackInOrder() {
		try (WsTestClient browser = browser(TestTokens.user("alice", "g1"))) {
			browser.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"workspace:g1\"}}");
			browser.awaitType("subscribed");
			sidecarForG1();
			browser.send("{\"type\":\"command\",\"id\":7,\"data\":{\"workspaceId\":\"g1\",\"command\":\"sh\","
					+ "\"args\":[\"-c\",\"for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; exit 2\"],"
					+ "\"cwd\":\"" + repo + "\"}}");
			JsonNode ack = browser.awaitType("ack");
			assertThat(ack.get("id").asInt()).isEqualTo(7);
			String taskId = ack.get("data").get("taskId").asString();
			assertThat(taskId).isNotBlank();
			JsonNode last = browser.await((m) -> m.path("type").asString().equals("task:status")
					&& m.path("data").path("taskId").asString().equals(taskId)
					&& !m.path("data").path("status").asString().equals("running"), WAIT);
			assertThat(last.get("data").get("status").asString()).isEqualTo("failed");
			assertThat(last.get("data").get("exitCode").asInt()).isEqualTo(2);
			List<JsonNode> events = browser.received()
				.stream()
				.filter((m) -> m.path("type").asString().startsWith("task:")
						&& m.path("data").path("taskId").asString().equals(taskId))
				.toList();
			assertThat(events.get(0).get("type").asString()).isEqualTo("task:status");
			assertThat(events.get(0).get("data").get("status").asString()).isEqualTo("running");
			assertThat(events.get(0).get("data").has("exitCode")).as("no null fields on the wire").isFalse();
			assertThat(events.get(events.size() - 1)).isEqualTo(last);
			StringBuilder stdout = new StringBuilder();
			StringBuilder stderr = new StringBuilder();
			for (JsonNode event : events) {
				if (event.get("type").asString().equals("task:output")) {
					(event.get("data").get("isError").asBoolean() ? stderr : stdout)
						.append(event.get("data").get("output").asString());
				}
			}
			assertThat(stdout.toString()).isEqualTo("line1\nline2\nline3\nline4\nline5\n");
			assertThat(stderr.toString()).isEqualTo("oops\n");
			for (int i = 1; i < events.size(); i++) {
				assertThat(events.get(i).get("offset").asLong())
					.isGreaterThan(events.get(i - 1).get("offset").asLong());
			}
			await().atMost(WAIT)
				.until(() -> Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("alice", "g1"))
					.body()
					.path("output")
					.asString("")
					.contains("oops"));
			JsonNode task = Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("alice", "g1")).body();
			assertThat(task.get("status").asString()).isEqualTo("failed");
			assertThat(task.get("exitCode").asInt()).isEqualTo(2);
			assertThat(task.get("command").asString()).isEqualTo("sh");
			assertThat(task.get("requestedBy").asString()).isEqualTo("gateway-service/alice");
			assertThat(task.get("startedAt").asString()).isNotBlank();
			assertThat(task.get("finishedAt").asString()).isNotBlank();
			assertThat(Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("eve", "g9")).status())
				.isEqualTo(404);
		}
	}

	@Test
	void shouldShowARegisteringSidecarsStateAndEventsToABrowserThroughTheGateway() {
		try (WsTestClient browser = browser(TestTokens.user("alice", "g3"))) {
			browser.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"workspace:g3\"}}");
			browser.awaitType("subscribed");
			SidecarConfig config = SidecarConfig
				.of(URI.create("ws://localhost:" + node.port() + "/agent/ws"), TestTokens.agent("sidecar-g3", "g3"),
						"g3", repo)
				.withTabs(List.of(new TabStartRequest("t1", "echo", List.of("hello from tab"), null)));
			try (Sidecar g3 = Sidecar.start(config)) {
				JsonNode connected = browser.awaitType("workspace:state");
				assertThat(connected.get("channel").asString()).isEqualTo("workspace:g3");
				assertThat(connected.get("data").get("agentConnected").asBoolean()).isTrue();
				assertThat(connected.get("data").get("status").asString()).isEqualTo("connected");
				// Order among the events is the sidecar's; wait for both, in whatever
				// order.
				await().atMost(WAIT)
					.until(() -> browser.received()
						.stream()
						.anyMatch((m) -> m.path("type").asString().equals("tab:output")
								&& m.path("data").path("data").asString().contains("hello from tab")));
				await().atMost(WAIT)
					.until(() -> browser.received()
						.stream()
						.anyMatch((m) -> m.path("type").asString().equals("workspace:state")
								&& m.path("data").path("lifecycle").asString("").equals("ready")));
			}
			JsonNode gone = browser.await((m) -> m.path("type").asString().equals("workspace:state")
					&& !m.path("data").path("agentConnected").asBoolean(true), WAIT);
			assertThat(gone.get("data").get("status").asString()).isEqualTo("disconnected");
		}
	}

	@Test
	void shouldAnswerNoAgentWith409OverRestAndTheGateway() {
		Http reply = Http.post(node.url() + "/api/workspaces/nobody/commands", TestTokens.user("bob", "nobody"),
				"{\"command\":\"ls\",\"args\":[]}");
		assertThat(reply.status()).isEqualTo(409);
		assertThat(reply.body().get("code").asString()).isEqualTo("no_agent");
		assertThat(reply.body().get("error").asString()).contains("no agent is connected for workspace nobody");
		try (WsTestClient browser = browser(TestTokens.user("bob", "nobody"))) {
			browser.send("{\"type\":\"command\",\"id\":3,\"data\":{\"workspaceId\":\"nobody\",\"command\":\"ls\","
					+ "\"args\":[],\"cwd\":\"/\"}}");
			JsonNode error = browser.awaitType("error");
			assertThat(error.get("id").asInt()).isEqualTo(3);
			assertThat(error.get("data").get("code").asString()).isEqualTo("no_agent");
			browser.send("{\"type\":\"command\",\"id\":4,\"data\":{\"workspaceId\":\"g1\",\"command\":\"ls\"}}");
			JsonNode forbidden = browser.await((m) -> m.path("id").asInt() == 4, WAIT);
			assertThat(forbidden.get("data").get("code").asString()).isEqualTo("forbidden");
		}
	}

	@Test
	void shouldRejectInvalidCommandsWithClearErrors() {
		String token = TestTokens.user("carol", "g1");
		String url = node.url() + "/api/workspaces/g1/commands";
		Http notArgv = Http.post(url, token, "{\"command\":\"ls\",\"args\":\"-la /\"}");
		assertThat(notArgv.status()).isEqualTo(400);
		assertThat(notArgv.body().get("error").asString()).contains("args must be an array of strings");
		assertThat(Http.post(url, token, "{\"args\":[]}").body().get("error").asString())
			.isEqualTo("command is required (a string)");
		assertThat(Http.post(url, token, "{\"command\":\"ls\",\"timeoutSeconds\":0}").status()).isEqualTo(400);
		assertThat(Http.post(url, token, "{\"command\":\"ls\",\"env\":{\"A B\":\"x\"}}").status()).isEqualTo(400);
		assertThat(Http.post(url, token, "{\"command\":\"ls\",\"taskId\":\"bad id\"}").status()).isEqualTo(400);
		assertThat(Http.post(url, TestTokens.user("dave", "g2"), "{\"command\":\"ls\"}").status()).isEqualTo(403);
	}

	/**
	 * A command larger than the agent's 64 KiB frame once encoded: before, the REST call
	 * answered 202 queued and the gateway acked a 65,499-byte browser frame, then the
	 * sidecar dropped its connection (frame too long) and the task stayed queued. Now
	 * both are refused up front with {@code too_large}; nothing reaches the agent.
	 */
	@Test
	void shouldRefuseACommandTooLargeForTheAgentOverRestAndTheGateway() {
		sidecarForG1();
		String arg = "a".repeat(4000);
		StringBuilder args = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			args.append((i > 0) ? "," : "").append('"').append(arg).append('"');
		}
		Http rest = Http.post(node.url() + "/api/workspaces/g1/commands", TestTokens.user("alice", "g1"),
				"{\"command\":\"echo\",\"args\":[" + args + "]}");
		assertThat(rest.status()).isEqualTo(413);
		assertThat(rest.body().get("code").asString()).isEqualTo("too_large");
		assertThat(rest.body().get("error").asString()).contains("too large for the agent");
		try (WsTestClient browser = browser(TestTokens.user("alice", "g1"))) {
			String prefix = "{\"type\":\"command\",\"id\":9,\"data\":{\"workspaceId\":\"g1\",\"command\":\"echo\","
					+ "\"env\":{";
			StringBuilder env = new StringBuilder();
			for (int i = 0; env.length() < 64_000; i++) {
				env.append((i > 0) ? "," : "")
					.append("\"V")
					.append(i)
					.append("\":\"")
					.append("b".repeat(4000))
					.append('"');
			}
			String frame = prefix + env + "}}}";
			assertThat(frame.length()).isLessThan(65_536);
			browser.send(frame);
			JsonNode reply = browser.await((m) -> m.path("id").asInt() == 9, WAIT);
			assertThat(reply.get("type").asString()).isEqualTo("error");
			assertThat(reply.get("data").get("code").asString()).isEqualTo("too_large");
		}
		assertThat(sidecar.client().state()).as("the agent kept its connection").isEqualTo(AgentState.REGISTERED);
	}

	/**
	 * A running task's agent reconnects to another node (or this node restarts): the node
	 * that takes its reports over never saw the task. Before, it tracked the task with an
	 * empty tail, and its next flush and the final status overwrote the stored output
	 * (line1..line12 lost); now the tail continues from what was stored.
	 */
	@Test
	void shouldContinueAStoredOutputTailWhenAnotherNodeTakesATaskOver() {
		TaskStore store = node.bean(TaskStore.class);
		String taskId = UUID.randomUUID().toString();
		store
			.insert(new TaskRecord(taskId, "g5", "sh", List.of(), null, List.of(), null, "alice", "queued", null, null,
					null, Instant.now(), null, null))
			.block(WAIT);
		TaskTracker before = new TaskTracker(store, 16, 16);
		before.track(taskId, "g5");
		before.status(taskId, "running", null, null, false).block(WAIT);
		StringBuilder expected = new StringBuilder();
		for (int i = 1; i <= 12; i++) {
			before.append(taskId, "line" + i + "\n");
			expected.append("line").append(i).append('\n');
		}
		before.flush(Instant.now()).block(WAIT);
		TaskTracker after = new TaskTracker(store, 16, 16);
		assertThat(after.belongsTo(taskId, "g5").block(WAIT)).isTrue();
		for (int i = 13; i <= 90; i++) {
			after.append(taskId, "line" + i + "\n");
			expected.append("line").append(i).append('\n');
		}
		after.flush(Instant.now()).block(WAIT);
		assertThat(store.find(taskId).block(WAIT).output()).isEqualTo(expected.toString());
		after.status(taskId, "completed", 0, null, true).block(WAIT);
		assertThat(store.find(taskId).block(WAIT).output()).isEqualTo(expected.toString());
		// still bounded by the same tail
		String other = UUID.randomUUID().toString();
		store
			.insert(new TaskRecord(other, "g5", "sh", List.of(), null, List.of(), null, "alice", "running", null, null,
					null, Instant.now(), null, null))
			.block(WAIT);
		store.output(other, "x".repeat(TaskTracker.TAIL_CHARS), Instant.now()).block(WAIT);
		TaskTracker third = new TaskTracker(store, 16, 16);
		assertThat(third.belongsTo(other, "g5").block(WAIT)).isTrue();
		third.append(other, "end");
		third.status(other, "completed", 0, null, true).block(WAIT);
		String output = store.find(other).block(WAIT).output();
		assertThat(output).hasSize(TaskTracker.TAIL_CHARS).endsWith("xxend");
	}

	@Test
	void shouldNotRunARepeatedTaskIdTwiceAndCancelOnRequest() {
		sidecarForG1();
		String token = TestTokens.user("alice", "g1");
		String body = "{\"command\":\"sleep\",\"args\":[\"30\"],\"taskId\":\"g1-sleep\",\"env\":{\"SECRET\":\"s3cr3t\"}}";
		Http first = Http.post(node.url() + "/api/workspaces/g1/commands", token, body);
		assertThat(first.status()).isEqualTo(202);
		assertThat(first.body().get("duplicate").asBoolean()).isFalse();
		String taskId = first.body().get("taskId").asString();
		Http again = Http.post(node.url() + "/api/workspaces/g1/commands", token, body);
		assertThat(again.status()).isEqualTo(202);
		assertThat(again.body().get("duplicate").asBoolean()).isTrue();
		assertThat(again.body().get("taskId").asString()).as("the same task, not run again").isEqualTo(taskId);
		await().atMost(WAIT)
			.until(() -> Http.get(node.url() + "/api/tasks/" + taskId, token)
				.body()
				.path("status")
				.asString()
				.equals("running"));
		assertThat(Http.post(node.url() + "/api/tasks/" + taskId + "/cancel", token, null).status()).isEqualTo(202);
		await().atMost(WAIT)
			.until(() -> Http.get(node.url() + "/api/tasks/" + taskId, token)
				.body()
				.path("status")
				.asString()
				.equals("cancelled"));
		JsonNode task = Http.get(node.url() + "/api/tasks/" + taskId, token).body();
		assertThat(task.get("envKeys").get(0).asString()).isEqualTo("SECRET");
		assertThat(task.toString()).doesNotContain("s3cr3t");
		assertThat(Http.post(node.url() + "/api/tasks/" + taskId + "/cancel", token, null).status()).isEqualTo(409);
	}

	/**
	 * A browser cancels its running task over its socket ({@code cancel}): the gateway
	 * finds the task's workspace, checks the user may run commands there and asks
	 * agent-service for the user; the sidecar kills the process.
	 */
	@Test
	void shouldCancelABrowsersTaskOverTheSocket() {
		sidecarForG1();
		try (WsTestClient browser = browser(TestTokens.user("alice", "g1"))) {
			browser.send("{\"type\":\"command\",\"id\":1,\"data\":{\"workspaceId\":\"g1\",\"command\":\"sleep\","
					+ "\"args\":[\"30\"]}}");
			String taskId = browser.await((m) -> m.path("id").asInt() == 1, WAIT).get("data").get("taskId").asString();
			browser.await((m) -> m.path("type").asString().equals("task:status")
					&& m.path("data").path("taskId").asString().equals(taskId)
					&& m.path("data").path("status").asString().equals("running"), WAIT);
			browser.send("{\"type\":\"cancel\",\"id\":2,\"data\":{\"taskId\":\"" + taskId + "\"}}");
			JsonNode ack = browser.await((m) -> m.path("id").asInt() == 2, WAIT);
			assertThat(ack.get("type").asString()).isEqualTo("ack");
			assertThat(ack.get("data").get("taskId").asString()).isEqualTo(taskId);
			assertThat(ack.get("data").get("status").asString()).isEqualTo("running");
			browser.await((m) -> m.path("type").asString().equals("task:status")
					&& m.path("data").path("taskId").asString().equals(taskId)
					&& m.path("data").path("status").asString().equals("cancelled"), WAIT);
			// once the task's end is stored, cancelling it again is a conflict
			await().atMost(WAIT)
				.until(() -> Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("alice", "g1"))
					.body()
					.path("status")
					.asString()
					.equals("cancelled"));
			browser.send("{\"type\":\"cancel\",\"id\":3,\"data\":{\"taskId\":\"" + taskId + "\"}}");
			assertThat(browser.await((m) -> m.path("id").asInt() == 3, WAIT).get("data").get("code").asString())
				.isEqualTo("conflict");
		}
	}

	static boolean status(Publication publication, String status) {
		return publication.event().type().equals("task:status")
				&& publication.event().data().get("status").asString().equals(status);
	}

	@Test
	void shouldNotLetAnAgentRegisterOrReportForAnotherWorkspace() {
		sidecarForG1();
		String token = TestTokens.user("alice", "g1");
		Http accepted = Http.post(node.url() + "/api/workspaces/g1/commands", token,
				"{\"command\":\"true\",\"taskId\":\"g1-true\"}");
		assertThat(accepted.status()).isEqualTo(202);
		String taskId = accepted.body().get("taskId").asString();
		List<Publication> seen = watch("task:" + taskId);
		try (WsTestClient intruder = WsTestClient.connect(node.agentUrl(TestTokens.agent("intruder", "g2")))) {
			intruder.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"g2\",\"version\":\"1.0.0\"}}");
			intruder.awaitType("registered");
			intruder.send("{\"type\":\"output\",\"data\":{\"taskId\":\"" + taskId + "\",\"output\":\"forged\"}}");
			JsonNode error = intruder.awaitType("error");
			assertThat(error.get("data").get("code").asString()).isEqualTo("forbidden");
			assertThat(intruder.isClosed()).isFalse();
		}
		try (WsTestClient intruder = WsTestClient.connect(node.agentUrl(TestTokens.agent("intruder", "g2")))) {
			intruder.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"g1\",\"version\":\"1.0.0\"}}");
			assertThat(intruder.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			assertThat(intruder.awaitClose(WAIT)).isEqualTo(4003);
		}
		assertThat(seen.stream().noneMatch((p) -> p.event().data().toString().contains("forged"))).isTrue();
	}

	@Test
	void shouldServeAgentsAndChannelOwners() {
		sidecarForG1();
		String user = TestTokens.user("alice", "g1");
		JsonNode agent = Http.get(node.url() + "/api/workspaces/g1/agent", user).body();
		assertThat(agent.get("agentId").asString()).isEqualTo("sidecar-g1");
		assertThat(agent.get("status").asString()).isEqualTo("connected");
		await().atMost(WAIT)
			.until(() -> "ready"
				.equals(Http.get(node.url() + "/api/workspaces/g1/agent", user).body().path("lifecycle").asString("")));
		JsonNode agents = Http.get(node.url() + "/api/agents", user).body();
		assertThat(agents.isArray()).isTrue();
		agents.forEach((a) -> assertThat(a.get("workspaceId").asString()).isEqualTo("g1"));
		assertThat(Http.get(node.url() + "/api/workspaces/g1/agent", TestTokens.user("x", "g2")).status())
			.isEqualTo(403);
		assertThat(Http.get(node.url() + "/api/workspaces/zz/agent", TestTokens.admin("root")).status()).isEqualTo(404);
		String owned = Http.post(node.url() + "/api/workspaces/g1/commands", user, "{\"command\":\"true\"}")
			.body()
			.get("taskId")
			.asString();
		String service = TestTokens.service("gateway");
		JsonNode owner = Http.get(node.url() + "/api/channels/task:" + owned + "/owner", service).body();
		assertThat(owner.get("workspaceId").asString()).isEqualTo("g1");
		assertThat(Http.get(node.url() + "/api/channels/agent:sidecar-g1/owner", service)
			.body()
			.get("workspaceId")
			.asString()).isEqualTo("g1");
		assertThat(Http.get(node.url() + "/api/channels/task:unknown/owner", service).status()).isEqualTo(404);
		assertThat(Http.get(node.url() + "/api/channels/task:" + owned + "/owner", user).status()).isEqualTo(403);
	}

}
