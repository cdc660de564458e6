package dev.agenthub.agent;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writing running tasks' output never holds up liveness: with the database holding a
 * task's output write, a silent agent of another workspace is still timed out.
 */
class LivenessFlushIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void shouldTimeOutASilentAgentWhileTaskOutputWritesAreHeldUp() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		properties.put("hub.agent.heartbeat-interval", "300ms");
		properties.put("hub.agent.task-flush-interval", "300ms");
		try (AgentNode node = AgentNode.start(properties); WsTestClient busy = agent(node, "agent-lv-a", "lv-a")) {
			// the busy agent keeps itself alive
			Disposable heartbeats = Flux.interval(Duration.ofMillis(100))
				.subscribe((n) -> busy.send("{\"type\":\"heartbeat\",\"data\":{}}"));
			Connection lock = Mono.from(node.bean(ConnectionFactory.class).create()).block(WAIT);
			try {
				String taskId = Http
					.post(node.url() + "/api/workspaces/lv-a/commands", TestTokens.user("lia", "lv-a"),
							"{\"command\":\"sleep\",\"args\":[\"60\"]}")
					.body()
					.get("taskId")
					.asString();
				busy.await((message) -> "command".equals(message.path("type").asString())
						&& taskId.equals(message.path("data").path("taskId").asString()), WAIT);
				// the database holds the task's row: writing its output tail waits
				Mono.from(lock.beginTransaction()).block(WAIT);
				Flux.from(lock.createStatement("SELECT task_id FROM task WHERE task_id = $1 FOR UPDATE")
					.bind("$1", taskId)
					.execute())
					.flatMap((result) -> result.map((row, meta) -> row.get(0, String.class)))
					.blockLast(WAIT);
				busy.send("{\"type\":\"output\",\"data\":{\"taskId\":\"" + taskId + "\",\"output\":\"line\\n\"}}");
				await().atMost(WAIT).until(() -> waitingOutputWrites(node) > 0);
				// another workspace's agent goes silent: it is timed out all the same
				try (WsTestClient silent = agent(node, "agent-lv-b", "lv-b")) {
					assertThat(silent.awaitClose(WAIT)).isEqualTo(4011);
				}
			}
			finally {
				heartbeats.dispose();
				Mono.from(lock.rollbackTransaction()).onErrorResume((ex) -> Mono.empty()).block(WAIT);
				Mono.from(lock.close()).block(WAIT);
			}
		}
	}

	static WsTestClient agent(AgentNode node, String agentId, String workspace) {
		WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent(agentId, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		agent.awaitType("registered");
		return agent;
	}

	/** Statements writing a task's output tail that wait for a lock. */
	static long waitingOutputWrites(AgentNode node) {
		return Flux.usingWhen(node.bean(ConnectionFactory.class).create(), (connection) -> Flux
			.from(connection.createStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
					+ " AND query LIKE 'UPDATE task SET output%'")
				.execute())
			.flatMap((result) -> result.map((row, meta) -> row.get(0, Long.class))), Connection::close).blockLast(WAIT);
	}

}
