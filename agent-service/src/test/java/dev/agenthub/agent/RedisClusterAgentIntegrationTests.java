package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
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
 * Two agent-service instances on the Redis Cluster: an agent on one is replaced by a
 * newer one on the other (the replace message crosses the node bus by sharded pub/sub,
 * the lease moves with its fence in the workspace's slot), and a command posted at the
 * first is routed to the second.
 */
class RedisClusterAgentIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static AgentNode nodeA;

	static AgentNode nodeB;

	@TempDir
	Path repo;

	@BeforeAll
	static void start() {
		Map<String, Object> shared = AgentNode.redisClusterProperties();
		nodeA = AgentNode.start(with(shared, "hub.agent.node-id", "node-a"));
		nodeB = AgentNode.start(with(shared, "hub.agent.node-id", "node-b"));
	}

	@AfterAll
	static void stop() {
		nodeA.close();
		nodeB.close();
	}

	static Map<String, Object> with(Map<String, Object> properties, String key, Object value) {
		Map<String, Object> copy = new HashMap<>(properties);
		copy.put(key, value);
		return copy;
	}

	static List<Publication> watch(AgentNode node, String channel) {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = node.bean(Broker.class).subscribe(channel, seen::add).block(WAIT);
		assertThat(registration).isNotNull();
		return seen;
	}

	static AgentRecord agentOf(String workspaceId) {
		return nodeA.bean(AgentStore.class).find(workspaceId).block(WAIT);
	}

	@Test
	void shouldReplaceAnAgentAcrossInstancesAndRouteCommandsToTheNewOne() {
		try (WsTestClient first = WsTestClient.connect(nodeA.agentUrl(TestTokens.agent("agent-old", "k1")))) {
			first.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"k1\",\"version\":\"1.0.0\"}}");
			first.awaitType("registered");
			await().atMost(WAIT).until(() -> agentOf("k1") != null && "node-a".equals(agentOf("k1").nodeId()));
			SidecarConfig config = new SidecarConfig(URI.create(nodeB.agentUrl("x").replace("?token=x", "")),
					TestTokens.agent("agent-new", "k1"), "k1", "agent-new", "2.0.0", this.repo, Duration.ofSeconds(30),
					6, Duration.ofSeconds(30), List.of(), 4, 4, Duration.ofSeconds(2), 8192, null);
			try (Sidecar sidecar = Sidecar.start(config)) {
				assertThat(first.awaitClose(WAIT)).as("the older agent is replaced (4009)").isEqualTo(4009);
				await().atMost(WAIT).until(() -> "agent-new".equals(agentOf("k1").agentId()));
				assertThat(agentOf("k1").nodeId()).isEqualTo("node-b");
				assertThat(nodeA.bean(WorkspaceLeases.class).current("k1").block(WAIT).nodeId()).isEqualTo("node-b");
				List<Publication> task = watch(nodeA, "task:k1-t1");
				JsonNode accepted = org.springframework.web.reactive.function.client.WebClient.create(nodeA.url())
					.post()
					.uri("/api/workspaces/k1/commands")
					.header("Authorization", "Bearer " + TestTokens.user("u1", "k1"))
					.header("Content-Type", "application/json")
					.bodyValue("{\"command\":\"echo\",\"args\":[\"routed\"],\"taskId\":\"k1-t1\"}")
					.retrieve()
					.bodyToMono(JsonNode.class)
					.block(WAIT);
				assertThat(accepted.get("taskId").asString()).isEqualTo("k1-t1");
				await().atMost(WAIT)
					.until(() -> task.stream()
						.anyMatch((p) -> p.event().type().equals("task:status")
								&& p.event().data().get("status").asString().equals("completed")));
				assertThat(task.stream()
					.filter((p) -> p.event().type().equals("task:output"))
					.map((p) -> p.event().data().get("output").asString())
					.reduce("", String::concat)).isEqualTo("routed\n");
			}
		}
	}

}
