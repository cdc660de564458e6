package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.agenthub.agentclient.fake.FakeAgentConnection;
import dev.agenthub.agentclient.fake.FakeAgentService;
import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.contracts.event.LifecycleState;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import dev.agenthub.contracts.event.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.agentclient.fake.FakeAgentConnection.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class AgentClientTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final FakeAgentService server = new FakeAgentService();

	private final RecordingHandler handler = new RecordingHandler();

	private AgentClient client;

	@AfterEach
	void tearDown() {
		if (this.client != null) {
			this.client.close();
		}
		this.server.close();
	}

	private AgentClientBuilder builder() {
		return AgentClient.builder()
			.uri(this.server.uri())
			.token("agent-jwt")
			.workspaceId("w1")
			.version("1.2.3")
			.agentId("a1")
			.handler(this.handler)
			.backoff(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(200));
	}

	private FakeAgentConnection startRegistered(AgentClientBuilder builder) throws InterruptedException {
		this.client = builder.build();
		this.client.start();
		FakeAgentConnection connection = this.server.nextConnection(WAIT);
		connection.next("register", WAIT);
		await().atMost(WAIT).until(() -> this.client.state() == AgentState.REGISTERED);
		return connection;
	}

	@Test
	void shouldRegisterWithWorkspaceVersionCapabilitiesAndBearerToken() throws Exception {
		this.client = builder().build();
		this.client.start();
		FakeAgentConnection connection = this.server.nextConnection(WAIT);
		JsonNode register = connection.next("register", WAIT);

		assertThat(connection.received().get(0).path("type").asString()).isEqualTo("register");
		assertThat(connection.authorization()).isEqualTo("Bearer agent-jwt");
		JsonNode data = register.path("data");
		assertThat(data.path("workspaceId").asString()).isEqualTo("w1");
		assertThat(data.path("version").asString()).isEqualTo("1.2.3");
		assertThat(data.path("agentId").asString()).isEqualTo("a1");
		assertThat(data.path("capabilities").toString()).isEqualTo("[\"commands\",\"tabs\",\"git\",\"stats\"]");
		await().atMost(WAIT).until(() -> this.client.state() == AgentState.REGISTERED);
		assertThat(this.client.sessionId()).isEqualTo("s1");
		assertThat(this.handler.registeredSessions).containsExactly("s1");
	}

	@Test
	void shouldPassTheTokenInTheQueryWhenAsked() throws Exception {
		FakeAgentConnection connection = startRegistered(builder().token("a b&c").tokenInQuery(true));

		assertThat(connection.queryToken()).isEqualTo("a b&c");
		assertThat(connection.authorization()).isNull();
	}

	@Test
	void shouldHeartbeatAtTheServerGivenIntervalWithLifecycleAndContributedTabs() throws Exception {
		this.server.heartbeatIntervalMs(50);
		FakeAgentConnection connection = startRegistered(builder()
			.heartbeat((data) -> data.putArray("tabs").addObject().put("tabId", "t1").put("command", "bash")));
		this.client.lifecycle(LifecycleState.READY);

		for (int i = 0; i < 3; i++) {
			connection.next("heartbeat", WAIT);
		}
		JsonNode heartbeat = connection.next((m) -> "heartbeat".equals(m.path("type").asString())
				&& "ready".equals(m.path("data").path("lifecycle").asString()), WAIT, "a ready heartbeat");
		assertThat(heartbeat.path("data").path("tabs").get(0).path("tabId").asString()).isEqualTo("t1");
	}

	@Test
	void shouldNotSendEventsBeforeRegisteredAndSendQueuedOnesAfter() throws Exception {
		this.client = builder().build();
		this.client.lifecycle(LifecycleState.STARTING);
		this.client.publish("startup:progress", java.util.Map.of("step", "clone", "percent", 10, "message", "m"));
		this.client.start();
		FakeAgentConnection connection = this.server.nextConnection(WAIT);

		JsonNode lifecycle = connection.next("lifecycle", WAIT);
		JsonNode progress = connection.next("startup:progress", WAIT);

		List<String> types = connection.received().stream().map((m) -> m.path("type").asString()).toList();
		assertThat(types.subList(0, 3)).containsExactly("register", "lifecycle", "startup:progress");
		assertThat(lifecycle.path("data").path("state").asString()).isEqualTo("starting");
		assertThat(progress.path("data").path("percent").asInt()).isEqualTo(10);
	}

	@Test
	void shouldReconnectWithGrowingBackoffThenResetItAfterAStableConnection() throws Exception {
		this.server.dropBeforeRegistered(true);
		this.client = builder().build();
		this.client.start();
		await().atMost(WAIT).until(() -> this.handler.attempts.size() >= 3);
		assertThat(this.handler.attempts.subList(0, 3)).containsExactly(1, 2, 3);

		this.server.dropBeforeRegistered(false);
		await().atMost(WAIT).until(() -> this.client.state() == AgentState.REGISTERED);
		int attemptsBefore = this.handler.attempts.size();
		// stay registered longer than backoffResetAfter (200 ms), then the server drops
		// us
		await().pollDelay(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);
		FakeAgentConnection stable = this.server.allConnections().get(this.server.allConnections().size() - 1);
		stable.close(1001, "going away");

		await().atMost(WAIT).until(() -> this.handler.attempts.size() > attemptsBefore);
		assertThat(this.handler.attempts.get(attemptsBefore)).isEqualTo(1);
		await().atMost(WAIT).until(() -> this.client.state() == AgentState.REGISTERED);
		assertThat(this.handler.registeredSessions).hasSize(2);
	}

	@Test
	void shouldReconnectAfterAnAbruptDrop() throws Exception {
		FakeAgentConnection first = startRegistered(builder());
		first.drop();

		FakeAgentConnection second = this.server.nextConnection(WAIT);
		second.next("register", WAIT);
		await().atMost(WAIT).until(() -> this.handler.registeredSessions.size() == 2);
	}

	@Test
	void shouldRetryWhenTheServerDoesNotAnswerRegister() throws Exception {
		this.server.silent(true);
		this.client = builder().registerTimeout(Duration.ofMillis(200)).build();
		this.client.start();
		await().atMost(WAIT).until(() -> this.handler.attempts.size() >= 2);
		assertThat(this.handler.registeredSessions).isEmpty();

		this.server.silent(false);
		await().atMost(WAIT).until(() -> this.client.state() == AgentState.REGISTERED);
	}

	@Test
	void shouldDropAConnectionThatStaysSilentLongerThanTheReadIdleTimeout() throws Exception {
		startRegistered(builder().readIdleTimeout(Duration.ofMillis(300)));

		await().atMost(WAIT).until(() -> this.handler.registeredSessions.size() >= 2);
		assertThat(this.server.allConnections().size()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void shouldStopWhenForbiddenAsTheCatalogueSays() throws Exception {
		// 4003 is a code a client must not reconnect after (CloseCode.FORBIDDEN): it
		// needs a person, not another attempt.
		this.server.forbid(true);
		this.client = builder().build();
		this.client.start();

		await().atMost(WAIT).until(() -> this.client.state() == AgentState.STOPPED);
		assertThat(this.handler.errors).contains("forbidden: not your workspace");
		assertThat(this.handler.delays).isEmpty();
		assertThat(this.server.allConnections()).hasSize(1);
	}

	@Test
	void shouldStopReconnectingWhenTheHandlerSaysSo() throws Exception {
		this.handler.stopOnDisconnect = true;
		FakeAgentConnection connection = startRegistered(builder());
		connection.close(4009, "replaced");

		await().atMost(WAIT).until(() -> this.client.state() == AgentState.STOPPED);
		assertThat(this.handler.attempts).isEmpty();
	}

	@Test
	void shouldDispatchACommandOnceAndCarryItsFields() throws Exception {
		FakeAgentConnection connection = startRegistered(builder());
		JsonNode command = JSON.readTree("""
				{"taskId":"t-1","command":"echo","args":["a","b"],"cwd":"/tmp","env":{"X":"1"},"timeoutSeconds":5}""");
		connection.send("command", command);
		connection.send("command", command);
		connection.send("cancel", JSON.createObjectNode().put("taskId", "t-1"));

		await().atMost(WAIT).until(() -> this.handler.cancels.contains("t-1"));
		assertThat(this.handler.commands).hasSize(1);
		CommandRequest request = this.handler.commands.get(0);
		assertThat(request.argv()).containsExactly("echo", "a", "b");
		assertThat(request.cwd()).isEqualTo("/tmp");
		assertThat(request.env()).containsEntry("X", "1");
		assertThat(request.timeoutSeconds()).isEqualTo(5);
	}

	@Test
	void shouldFailAnInvalidCommandWithoutDispatchingIt() throws Exception {
		FakeAgentConnection connection = startRegistered(builder());
		connection.send("command", JSON.readTree("{\"taskId\":\"t-2\",\"args\":[]}"));

		JsonNode status = connection.next("status", WAIT);
		assertThat(status.path("data").path("taskId").asString()).isEqualTo("t-2");
		assertThat(status.path("data").path("status").asString()).isEqualTo("failed");
		assertThat(status.path("data").path("error").asString()).contains("command is required");
		assertThat(this.handler.commands).isEmpty();
	}

	@Test
	void shouldDispatchTabsUpdatesErrorsAndAnswerPings() throws Exception {
		FakeAgentConnection connection = startRegistered(builder());
		connection.send("tab:start", JSON.readTree("{\"tabId\":\"t1\",\"command\":\"bash\",\"args\":[\"-l\"]}"));
		connection.send("tab:input", JSON.createObjectNode().put("tabId", "t1").put("data", "ls -la\n"));
		connection.send("tab:input", JSON.createObjectNode().put("tabId", "t1").put("data", "x".repeat(16 * 1024 + 1)));
		connection.send("tab:input", JSON.createObjectNode().put("tabId", "t1"));
		connection.send("tab:stop", JSON.createObjectNode().put("tabId", "t1"));
		connection.send("agent:update", JSON.createObjectNode().put("requiredVersion", "2.0.0"));
		connection.send("error", JSON.createObjectNode().put("code", "bad_request").put("error", "nope"));
		connection.sendRaw("{\"type\":\"ping\"}");
		connection.sendRaw("not json");
		connection.send("something:new", JSON.createObjectNode().put("x", 1));

		connection.next("pong", WAIT);
		await().atMost(WAIT).until(() -> this.handler.unknown.contains("something:new"));
		assertThat(this.handler.tabStarts).extracting(TabStartRequest::tabId).containsExactly("t1");
		assertThat(this.handler.tabStarts.get(0).args()).containsExactly("-l");
		assertThat(this.handler.tabStops).containsExactly("t1");
		// in order; one over the bound and one without text are not passed on
		assertThat(this.handler.tabInputs).containsExactly("t1:ls -la\n");
		assertThat(this.handler.updates).containsExactly("2.0.0");
		assertThat(this.handler.errors).containsExactly("bad_request: nope");
		assertThat(this.client.state()).isEqualTo(AgentState.REGISTERED);
	}

	@Test
	void shouldCoalesceSmallTabOutputKeepingItsOrder() throws Exception {
		FakeAgentConnection connection = startRegistered(builder().coalescing(Duration.ofMillis(20), 4096));
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 500; i++) {
			String piece = "line " + i + "\n";
			expected.append(piece);
			this.client.tabOutput("t1", piece, "stdout");
		}
		this.client.publish("tab:stopped", java.util.Map.of("tabId", "t1", "exitCode", 0));

		connection.next("tab:stopped", WAIT);
		List<JsonNode> outputs = connection.received("tab:output");
		StringBuilder actual = new StringBuilder();
		outputs.forEach((m) -> actual.append(m.path("data").path("data").asString()));
		assertThat(actual.toString()).isEqualTo(expected.toString());
		assertThat(outputs.size()).isLessThan(500);
		assertThat(outputs).allMatch((m) -> "stdout".equals(m.path("data").path("stream").asString()));
		assertThat(outputs).allMatch((m) -> m.path("data").path("data").asString().length() <= 4096);
	}

	@Test
	void shouldPaceFramesUnderTheRateLimitWithoutLosingOrReorderingAny() throws Exception {
		FakeAgentConnection connection = startRegistered(builder().rateLimit(50, 5));
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 30; i++) {
			this.client.publish("stats", java.util.Map.of("cpu", i));
			String piece = "chunk " + i + "\n";
			expected.append(piece);
			this.client.tabOutput("t1", piece, "stdout");
		}
		this.client.publish("tab:stopped", java.util.Map.of("tabId", "t1", "exitCode", 0));

		connection.next("tab:stopped", Duration.ofSeconds(10));
		List<Integer> cpus = connection.received("stats")
			.stream()
			.map((m) -> m.path("data").path("cpu").asInt())
			.toList();
		assertThat(cpus).isEqualTo(java.util.stream.IntStream.range(0, 30).boxed().toList());
		StringBuilder actual = new StringBuilder();
		connection.received("tab:output").forEach((m) -> actual.append(m.path("data").path("data").asString()));
		assertThat(actual.toString()).isEqualTo(expected.toString());
		assertThat(this.client.droppedEvents()).isZero();
	}

	@Test
	void shouldReportTaskOutputAndStatusInOrder() throws Exception {
		FakeAgentConnection connection = startRegistered(builder());
		this.client.taskStatus("t-9", TaskState.RUNNING, null, null);
		this.client.taskOutput("t-9", "out", false);
		this.client.taskOutput("t-9", "err", true);
		this.client.taskStatus("t-9", TaskState.FAILED, 3, null);

		connection.next((m) -> "failed".equals(m.path("data").path("status").asString()), WAIT, "failed status");
		List<String> sequence = connection.received()
			.stream()
			.filter((m) -> "t-9".equals(m.path("data").path("taskId").asString()))
			.map((m) -> m.path("type").asString() + ":" + m.path("data").path("status").asString("")
					+ m.path("data").path("output").asString("") + m.path("data").path("isError").asString(""))
			.toList();
		assertThat(sequence).containsExactly("status:running", "output:outfalse", "output:errtrue", "status:failed");
		JsonNode failed = connection.received("status").get(1);
		assertThat(failed.path("data").path("exitCode").asInt()).isEqualTo(3);
	}

	@Test
	void shouldBoundTheQueueWhileDisconnectedAndCountDrops() {
		this.client = builder().outboundLimits(10, 1024 * 1024).build();
		for (int i = 0; i < 25; i++) {
			this.client.publish("stats", java.util.Map.of("cpu", i));
		}
		assertThat(this.client.queuedEvents()).isEqualTo(10);
		assertThat(this.client.droppedEvents()).isEqualTo(15);
		// a status must not be lost: it evicts the oldest lossy event
		assertThat(this.client.taskStatus("t", TaskState.COMPLETED, 0, null)).isTrue();
		assertThat(this.client.queuedEvents()).isEqualTo(10);
		assertThat(this.client.droppedEvents()).isEqualTo(16);
	}

	@Test
	void shouldRefuseAnEventLargerThanTheFrameLimit() {
		this.client = builder().maxFramePayload(1024).build();

		assertThat(this.client.publish("git:status", java.util.Map.of("branch", "x".repeat(2000)))).isFalse();
		assertThat(this.client.publish("git:status", java.util.Map.of("branch", "é".repeat(400)))).isTrue();
		assertThat(this.client.publish("git:status", java.util.Map.of("branch", "é".repeat(600)))).isFalse();
		assertThat(this.client.queuedEvents()).isEqualTo(1);
	}

	@Test
	void shouldStopGracefullyWithLifecycleEventsAndANormalClose() throws Exception {
		FakeAgentConnection connection = startRegistered(builder());
		this.client.publish("stats", java.util.Map.of("cpu", 1.5));

		this.client.stop().block(WAIT);

		assertThat(this.client.state()).isEqualTo(AgentState.STOPPED);
		connection.next((m) -> "off".equals(m.path("data").path("state").asString()), WAIT, "lifecycle off");
		List<String> tail = connection.received()
			.stream()
			.map((m) -> m.path("type").asString() + ":" + m.path("data").path("state").asString(""))
			.toList();
		assertThat(tail).containsSubsequence("stats:", "lifecycle:shutting_down", "lifecycle:off");
		await().atMost(WAIT).until(() -> connection.clientCloseStatus() != null);
		assertThat(connection.clientCloseStatus().code()).isEqualTo(1000);
		assertThat(this.client.publish("stats", java.util.Map.of())).isFalse();
	}

	@Test
	void shouldStopQuicklyWhileNoServerIsReachable() {
		this.server.close();
		this.client = builder().build();
		this.client.start();
		await().atMost(WAIT).until(() -> !this.handler.attempts.isEmpty());

		this.client.stop().block(WAIT);

		assertThat(this.client.state()).isEqualTo(AgentState.STOPPED);
		assertThat(this.handler.states).endsWith(AgentState.STOPPED);
	}

	@Test
	void shouldRunManyAgentsOnOneSharedEventLoopGroup() throws Exception {
		reactor.netty.http.client.HttpClient shared = reactor.netty.http.client.HttpClient.newConnection();
		List<AgentClient> agents = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 200; i++) {
				AgentClient agent = AgentClient.builder()
					.uri(this.server.uri())
					.workspaceId("w" + i)
					.version("1")
					.httpClient(shared)
					.build();
				agents.add(agent);
				agent.start();
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> agents.stream().allMatch((a) -> a.state() == AgentState.REGISTERED));
			assertThat(this.server.allConnections()).hasSize(200);
			assertThat(Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((t) -> t.getName().startsWith("reactor-http"))
				.count()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() * 2L + 2);
		}
		finally {
			reactor.core.publisher.Flux.fromIterable(agents)
				.flatMap(AgentClient::stop)
				.then()
				.block(Duration.ofSeconds(20));
		}
		assertThat(agents).allMatch((a) -> a.state() == AgentState.STOPPED);
	}

	static final class RecordingHandler implements AgentHandler {

		final List<String> registeredSessions = new CopyOnWriteArrayList<>();

		final List<CommandRequest> commands = new CopyOnWriteArrayList<>();

		final List<String> cancels = new CopyOnWriteArrayList<>();

		final List<TabStartRequest> tabStarts = new CopyOnWriteArrayList<>();

		final List<String> tabStops = new CopyOnWriteArrayList<>();

		final List<String> tabInputs = new CopyOnWriteArrayList<>();

		final List<String> updates = new CopyOnWriteArrayList<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		final List<String> unknown = new CopyOnWriteArrayList<>();

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		final List<Duration> delays = new CopyOnWriteArrayList<>();

		final List<AgentState> states = new CopyOnWriteArrayList<>();

		final BlockingQueue<String> events = new LinkedBlockingQueue<>();

		volatile boolean stopOnDisconnect;

		@Override
		public void onRegistered(String sessionId, Duration heartbeatInterval) {
			this.registeredSessions.add(sessionId);
		}

		@Override
		public void onCommand(CommandRequest command) {
			this.commands.add(command);
		}

		@Override
		public void onCancel(String taskId) {
			this.cancels.add(taskId);
		}

		@Override
		public void onTabStart(TabStartRequest request) {
			this.tabStarts.add(request);
		}

		@Override
		public void onTabInput(String tabId, String data) {
			this.tabInputs.add(tabId + ":" + data);
		}

		@Override
		public void onTabStop(String tabId) {
			this.tabStops.add(tabId);
		}

		@Override
		public void onAgentUpdate(String requiredVersion) {
			this.updates.add(requiredVersion);
		}

		@Override
		public void onServerError(String code, String message) {
			this.errors.add(code + ": " + message);
		}

		@Override
		public void onMessage(String type, JsonNode data) {
			this.unknown.add(type);
		}

		@Override
		public void onStateChange(AgentState previous, AgentState current) {
			this.states.add(current);
		}

		@Override
		public dev.agenthub.agentclient.protocol.ReconnectDecision onDisconnect(
				dev.agenthub.agentclient.protocol.DisconnectInfo info) {
			return this.stopOnDisconnect ? dev.agenthub.agentclient.protocol.ReconnectDecision.STOP
					: AgentHandler.super.onDisconnect(info);
		}

		@Override
		public void onReconnectScheduled(int attempt, Duration delay) {
			this.attempts.add(attempt);
			this.delays.add(delay);
		}

		String poll() throws InterruptedException {
			return this.events.poll(5, TimeUnit.SECONDS);
		}

	}

}
