package dev.agenthub.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks whose agent went away (real agent-service, sidecar, PostgreSQL, Redis): before, a
 * {@code running} task whose sidecar was killed stayed {@code running} forever, a cancel
 * answered 202 {@code running} and changed nothing.
 */
class LostTasksIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	static Path repo;

	static AgentNode node;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		properties.put("hub.agent.lost-task-timeout", "8s");
		node = AgentNode.start(properties);
	}

	@AfterAll
	static void stop() {
		node.close();
	}

	/** An agent that registers, takes a command, reports it running, then vanishes. */
	static String runningTaskOfAVanishedAgent(String workspace) {
		WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent("agent-" + workspace, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		agent.awaitType("registered");
		String taskId = Http
			.post(node.url() + "/api/workspaces/" + workspace + "/commands", TestTokens.user("ann", workspace),
					"{\"command\":\"sleep\",\"args\":[\"1000\"]}")
			.body()
			.get("taskId")
			.asString();
		agent.await((m) -> m.path("type").asString().equals("command"), WAIT);
		agent.send("{\"type\":\"status\",\"data\":{\"taskId\":\"" + taskId + "\",\"status\":\"running\"}}");
		await().atMost(WAIT).until(() -> "running".equals(task(workspace, taskId).path("status").asString()));
		agent.close();
		await().atMost(WAIT).until(() -> {
			AgentRecord record = node.bean(AgentStore.class).find(workspace).block(WAIT);
			return record != null && !"connected".equals(record.status());
		});
		return taskId;
	}

	static JsonNode task(String workspace, String taskId) {
		return Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("ann", workspace)).body();
	}

	static List<Publication> watch(String channel) {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = node.bean(Broker.class).subscribe(channel, seen::add).block(WAIT);
		assertThat(registration).isNotNull();
		return seen;
	}

	static boolean statusSeen(List<Publication> seen, String status) {
		return seen.stream()
			.anyMatch((p) -> p.event().type().equals("task:status")
					&& p.event().data().path("status").asString().equals(status));
	}

	@Test
	void shouldEndTheTasksAnAgentDoesNotKnowWhenItRegistersAgain() {
		String taskId = runningTaskOfAVanishedAgent("l1");
		List<Publication> seen = watch("task:" + taskId);
		// the agent's process was killed: a new sidecar (same agent id) registers,
		// knowing no task
		try (Sidecar sidecar = node.sidecar("agent-l1", "l1", repo, WAIT)) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "failed".equals(task("l1", taskId).path("status").asString()));
			assertThat(task("l1", taskId).path("error").asString()).contains("registered again without this task");
			await().atMost(WAIT).until(() -> statusSeen(seen, "failed"));
			Http cancel = Http.post(node.url() + "/api/tasks/" + taskId + "/cancel", TestTokens.user("ann", "l1"),
					null);
			assertThat(cancel.status()).isEqualTo(409);
			assertThat(cancel.body().get("code").asString()).isEqualTo("conflict");
		}
	}

	@Test
	void shouldEndACancelledTaskNobodyRuns() {
		String taskId = runningTaskOfAVanishedAgent("l2");
		List<Publication> seen = watch("task:" + taskId);
		Http cancel = Http.post(node.url() + "/api/tasks/" + taskId + "/cancel", TestTokens.user("ann", "l2"), null);
		assertThat(cancel.status()).isEqualTo(202);
		assertThat(cancel.body().get("status").asString()).isEqualTo("cancelled");
		assertThat(task("l2", taskId).path("status").asString()).isEqualTo("cancelled");
		await().atMost(WAIT).until(() -> statusSeen(seen, "cancelled"));
	}

	@Test
	void shouldEndTheTasksOfAnAgentGonePastTheTimeout() {
		String taskId = runningTaskOfAVanishedAgent("l3");
		List<Publication> seen = watch("workspace:l3");
		await().atMost(WAIT).until(() -> "failed".equals(task("l3", taskId).path("status").asString()));
		assertThat(task("l3", taskId).path("error").asString()).contains("gone for more than 8 s");
		await().atMost(WAIT).until(() -> statusSeen(seen, "failed"));
	}

}
