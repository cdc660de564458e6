package dev.agenthub.sidecar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.agenthub.agentclient.AgentState;
import dev.agenthub.agentclient.fake.FakeAgentConnection;
import dev.agenthub.agentclient.fake.FakeAgentService;
import dev.agenthub.agentclient.protocol.TabStartRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.agentclient.fake.FakeAgentConnection.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(90)
class SidecarIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path repo;

	private final FakeAgentService server = new FakeAgentService().heartbeatIntervalMs(100);

	private Sidecar sidecar;

	@AfterEach
	void tearDown() {
		if (this.sidecar != null) {
			this.sidecar.stop();
		}
		this.server.close();
	}

	private FakeAgentConnection startSidecar() throws Exception {
		Process init = new ProcessBuilder("git", "init", "-q", "-b", "trunk").directory(this.repo.toFile()).start();
		assertThat(init.waitFor(20, TimeUnit.SECONDS)).isTrue();
		SidecarConfig config = SidecarConfig.of(this.server.uri(), "agent-jwt", "w1", this.repo)
			.withIntervals(Duration.ofMillis(200), Duration.ofMillis(100))
			.withTabs(List.of(new TabStartRequest("boot", "sh", List.of("-c", "echo booted"), null)));
		this.sidecar = Sidecar.start(config);
		FakeAgentConnection connection = this.server.nextConnection(WAIT);
		JsonNode register = connection.next("register", WAIT);
		assertThat(register.path("data").path("workspaceId").asString()).isEqualTo("w1");
		assertThat(register.path("data").path("version").asString()).isNotBlank();
		assertThat(connection.authorization()).isEqualTo("Bearer agent-jwt");
		return connection;
	}

	private static JsonNode command(String taskId, String command, String... args) {
		var data = JSON.createObjectNode().put("taskId", taskId).put("command", command);
		var array = data.putArray("args");
		for (String arg : args) {
			array.add(arg);
		}
		return data;
	}

	private static JsonNode finalStatus(FakeAgentConnection connection, String taskId) throws InterruptedException {
		return connection.next(
				(m) -> "status".equals(m.path("type").asString())
						&& taskId.equals(m.path("data").path("taskId").asString())
						&& !"running".equals(m.path("data").path("status").asString()),
				WAIT, "final status of " + taskId);
	}

	private static String output(FakeAgentConnection connection, String taskId, boolean isError) {
		StringBuilder text = new StringBuilder();
		connection.received("output")
			.stream()
			.filter((m) -> taskId.equals(m.path("data").path("taskId").asString())
					&& m.path("data").path("isError").asBoolean() == isError)
			.forEach((m) -> text.append(m.path("data").path("output").asString()));
		return text.toString();
	}

	@Test
	void shouldReportLifecycleBootTabStatsGitAndHeartbeats() throws Exception {
		FakeAgentConnection connection = startSidecar();

		connection.next((m) -> "ready".equals(m.path("data").path("state").asString()), WAIT, "lifecycle ready");
		List<String> lifecycle = connection.received("lifecycle")
			.stream()
			.map((m) -> m.path("data").path("state").asString())
			.toList();
		assertThat(lifecycle).containsExactly("starting", "ready");
		assertThat(connection.received("startup:progress")).isNotEmpty();

		connection.awaitReceived("tab:stopped", WAIT);
		assertThat(connection.received("tab:started").get(0).path("data").path("tabId").asString()).isEqualTo("boot");
		assertThat(connection.received("tab:output").get(0).path("data").path("data").asString()).isEqualTo("booted\n");

		JsonNode stats = connection.awaitReceived("stats", WAIT).path("data");
		assertThat(stats.path("disk").path("totalBytes").asLong()).isPositive();
		assertThat(stats.path("memory").path("percent").asDouble()).isBetween(0.0, 100.0);

		JsonNode git = connection.awaitReceived("git:status", WAIT).path("data");
		assertThat(git.path("branch").asString()).isEqualTo("trunk");

		JsonNode heartbeat = connection.awaitReceived("heartbeat", WAIT).path("data");
		assertThat(heartbeat.path("tabs").isArray()).isTrue();
		assertThat(heartbeat.path("lifecycle").asString()).isNotBlank();
	}

	@Test
	void shouldRunCommandsFromTheHubAndStreamTheirOutputAndStatus() throws Exception {
		FakeAgentConnection connection = startSidecar();
		await().atMost(WAIT).until(() -> this.sidecar.client().state() == AgentState.REGISTERED);

		connection.send("command", command("c1", "echo", "hello"));
		JsonNode completed = finalStatus(connection, "c1");
		assertThat(completed.path("data").path("status").asString()).isEqualTo("completed");
		assertThat(completed.path("data").path("exitCode").asInt()).isZero();
		assertThat(output(connection, "c1", false)).isEqualTo("hello\n");
		List<String> c1 = connection.received()
			.stream()
			.filter((m) -> "c1".equals(m.path("data").path("taskId").asString()))
			.map((m) -> m.path("type").asString() + ":" + m.path("data").path("status").asString(""))
			.toList();
		assertThat(c1).containsExactly("status:running", "output:", "status:completed");

		connection.send("command", command("c2", "sh", "-c", "echo err >&2; exit 3"));
		JsonNode failed = finalStatus(connection, "c2");
		assertThat(failed.path("data").path("status").asString()).isEqualTo("failed");
		assertThat(failed.path("data").path("exitCode").asInt()).isEqualTo(3);
		assertThat(output(connection, "c2", true)).isEqualTo("err\n");

		connection.send("command", command("c3", "sleep", "30"));
		connection.next((m) -> "c3".equals(m.path("data").path("taskId").asString()), WAIT, "c3 running");
		connection.send("cancel", JSON.createObjectNode().put("taskId", "c3"));
		JsonNode cancelled = finalStatus(connection, "c3");
		assertThat(cancelled.path("data").path("status").asString()).isEqualTo("cancelled");
	}

	@Test
	void shouldRunTabsFromTheHubAndStopGracefully() throws Exception {
		FakeAgentConnection connection = startSidecar();
		await().atMost(WAIT).until(() -> this.sidecar.client().state() == AgentState.REGISTERED);

		var tab = JSON.createObjectNode().put("tabId", "logs").put("command", "sh");
		tab.putArray("args").add("-c").add("echo tailing; exec sleep 30");
		connection.send("tab:start", tab);
		connection.next((m) -> "tab:output".equals(m.path("type").asString())
				&& "logs".equals(m.path("data").path("tabId").asString()), WAIT, "logs output");
		connection.next((m) -> "heartbeat".equals(m.path("type").asString())
				&& m.path("data").path("tabs").toString().contains("logs"), WAIT, "heartbeat listing the tab");

		this.sidecar.stop();

		connection.next((m) -> "off".equals(m.path("data").path("state").asString()), WAIT, "lifecycle off");
		List<String> tail = connection.received()
			.stream()
			.map((m) -> m.path("type").asString() + ":" + m.path("data").path("state").asString("")
					+ m.path("data").path("tabId").asString(""))
			.toList();
		assertThat(tail).containsSubsequence("lifecycle:shutting_down", "tab:stopped:logs", "lifecycle:off");
		await().atMost(WAIT).until(() -> connection.clientCloseStatus() != null);
		assertThat(connection.clientCloseStatus().code()).isEqualTo(1000);
		assertThat(this.sidecar.client().state()).isEqualTo(AgentState.STOPPED);
	}

}
