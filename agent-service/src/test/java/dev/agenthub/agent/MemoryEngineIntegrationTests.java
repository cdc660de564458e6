package dev.agenthub.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The single-process defaults: memory engine and embedded H2 (same migrations as
 * PostgreSQL). Leases and command routing are node-local.
 */
class MemoryEngineIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path data;

	static AgentNode node;

	@BeforeAll
	static void start() {
		node = AgentNode.start(Map.of("server.port", "0", "hub.auth.jwt-secret", TestTokens.SECRET,
				"hub.database.data-dir", data.toString()));
	}

	@AfterAll
	static void stop() {
		node.close();
	}

	@Test
	void shouldDeliverCommandsAndRecordTasksWithTheMemoryEngineAndH2() {
		try (WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent("m-agent", "m1")))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"m1\",\"version\":\"1.0.0\","
					+ "\"capabilities\":[\"commands\"]}}");
			agent.awaitType("registered");
			agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"ready\"}}");
			Http accepted = Http.post(node.url() + "/api/workspaces/m1/commands", TestTokens.user("u", "m1"),
					"{\"command\":\"git\",\"args\":[\"status\"],\"cwd\":\"/w\",\"env\":{\"A\":\"1\"},"
							+ "\"timeoutSeconds\":60}");
			assertThat(accepted.status()).isEqualTo(202);
			String taskId = accepted.body().get("taskId").asString();
			JsonNode command = agent.awaitType("command").get("data");
			assertThat(command.get("taskId").asString()).isEqualTo(taskId);
			assertThat(command.get("command").asString()).isEqualTo("git");
			assertThat(command.get("args").get(0).asString()).isEqualTo("status");
			assertThat(command.get("cwd").asString()).isEqualTo("/w");
			assertThat(command.get("env").get("A").asString()).isEqualTo("1");
			assertThat(command.get("timeoutSeconds").asInt()).isEqualTo(60);
			agent.send("{\"type\":\"status\",\"data\":{\"taskId\":\"" + taskId + "\",\"status\":\"running\"}}");
			agent.send("{\"type\":\"output\",\"data\":{\"taskId\":\"" + taskId + "\",\"output\":\"clean\\n\"}}");
			agent.send("{\"type\":\"status\",\"data\":{\"taskId\":\"" + taskId
					+ "\",\"status\":\"completed\",\"exitCode\":0}}");
			await().atMost(WAIT)
				.until(() -> "completed".equals(Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.admin("a"))
					.body()
					.path("status")
					.asString()));
			JsonNode task = Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.admin("a")).body();
			assertThat(task.get("output").asString()).isEqualTo("clean\n");
			assertThat(task.get("exitCode").asInt()).isEqualTo(0);
			JsonNode record = Http.get(node.url() + "/api/workspaces/m1/agent", TestTokens.admin("a")).body();
			assertThat(record.get("lifecycle").asString()).isEqualTo("ready");
			assertThat(record.get("capabilities").asString()).isEqualTo("commands");
			JsonNode mine = Http.get(node.url() + "/api/agents", TestTokens.agent("m-agent", "m1")).body();
			assertThat(mine.size()).isEqualTo(1);
			assertThat(mine.get(0).get("workspaceId").asString()).isEqualTo("m1");
			assertThat(Http.get(node.url() + "/api/agents", TestTokens.user("nobody", "zz")).body().size()).isZero();
			agent.send("{\"type\":\"lifecycle\",\"data\":{\"state\":\"sleeping\"}}");
			assertThat(agent.awaitType("error").get("data").get("error").asString()).contains("lifecycle");
		}
	}

	@Test
	void shouldReplaceTheOlderAgentOfAWorkspaceOnOneNode() {
		try (WsTestClient first = WsTestClient.connect(node.agentUrl(TestTokens.agent("a1", "m2")));
				WsTestClient second = WsTestClient.connect(node.agentUrl(TestTokens.agent("a2", "m2")))) {
			first.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"m2\"}}");
			first.awaitType("registered");
			second.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"m2\"}}");
			second.awaitType("registered");
			assertThat(first.awaitClose(WAIT)).isEqualTo(4009);
			assertThat(second.isClosed()).isFalse();
			await().atMost(WAIT)
				.until(() -> "a2".equals(Http.get(node.url() + "/api/workspaces/m2/agent", TestTokens.admin("a"))
					.body()
					.path("agentId")
					.asString()));
		}
	}

}
