package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.agent.lease.Lease;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.PortInUseException;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two agent-service instances sharing Redis and PostgreSQL: one live agent per workspace
 * across them, commands routed to the instance holding the agent, heartbeat timeouts, and
 * a sidecar that comes back after its instance restarts.
 */
class ClusterIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static Map<String, Object> shared;

	static AgentNode nodeA;

	static AgentNode nodeB;

	@TempDir
	Path repo;

	@BeforeAll
	static void start() {
		shared = AgentNode.clusterProperties();
		nodeA = AgentNode.start(with(shared, "hub.agent.node-id", "node-a"));
		// Node B has short heartbeats, so that a silent agent times out quickly.
		Map<String, Object> b = with(shared, "hub.agent.node-id", "node-b");
		b.put("hub.agent.heartbeat-interval", "300ms");
		b.put("hub.agent.lease-ttl", "3s");
		nodeB = AgentNode.start(b);
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

	static JsonNode post(AgentNode node, String path, String token, String body) {
		return org.springframework.web.reactive.function.client.WebClient.create(node.url())
			.post()
			.uri(path)
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.bodyValue(body)
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(WAIT);
	}

	@Test
	void shouldReplaceAnAgentOnAnotherInstanceAndRouteCommandsToTheNewOne() {
		List<Publication> states = watch(nodeA, "workspace:c1");
		try (WsTestClient first = WsTestClient.connect(nodeA.agentUrl(TestTokens.agent("agent-old", "c1")))) {
			first.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"c1\",\"version\":\"1.0.0\"}}");
			first.awaitType("registered");
			await().atMost(WAIT).until(() -> "node-a".equals(agentOf("c1").nodeId()));
			SidecarConfig config = new SidecarConfig(URI.create(nodeB.agentUrl("x").replace("?token=x", "")),
					TestTokens.agent("agent-new", "c1"), "c1", "agent-new", "2.0.0", this.repo, Duration.ofSeconds(30),
					6, Duration.ofSeconds(30), List.of(), 4, 4, Duration.ofSeconds(2), 8192, null);
			try (Sidecar sidecar = Sidecar.start(config)) {
				assertThat(first.awaitClose(WAIT)).as("the older agent is replaced (4009)").isEqualTo(4009);
				await().atMost(WAIT).until(() -> "agent-new".equals(agentOf("c1").agentId()));
				AgentRecord record = agentOf("c1");
				assertThat(record.nodeId()).isEqualTo("node-b");
				assertThat(record.status()).isEqualTo("connected");
				assertThat(record.version()).isEqualTo("2.0.0");
				List<Publication> task = watch(nodeA, "task:c1-t1");
				JsonNode accepted = post(nodeA, "/api/workspaces/c1/commands", TestTokens.user("u1", "c1"),
						"{\"command\":\"echo\",\"args\":[\"routed\"],\"taskId\":\"c1-t1\"}");
				assertThat(accepted.get("taskId").asString()).isEqualTo("c1-t1");
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
		// The replaced session's end did not report the workspace's agent as gone while
		// the
		// new one was connected: the only "disconnected" comes after the sidecar stopped.
		List<String> statuses = states.stream()
			.filter((p) -> p.event().type().equals("workspace:state"))
			.map((p) -> p.event().data().get("status").asString())
			.toList();
		assertThat(statuses).startsWith("connected", "connected");
	}

	@Test
	void shouldTimeOutASilentAgentAndPublishItsState() {
		List<Publication> states = watch(nodeB, "workspace:c2");
		try (WsTestClient agent = WsTestClient.connect(nodeB.agentUrl(TestTokens.agent("agent-c2", "c2")))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"c2\",\"version\":\"1.0.0\"}}");
			assertThat(agent.awaitType("registered").get("data").get("heartbeatIntervalMs").asLong()).isEqualTo(300);
			assertThat(agent.awaitClose(WAIT)).as("three missed intervals close with 4011").isEqualTo(4011);
		}
		await().atMost(WAIT)
			.until(() -> states.stream()
				.anyMatch((p) -> p.event().type().equals("workspace:state")
						&& p.event().data().get("status").asString().equals("timeout")));
		JsonNode last = states.get(states.size() - 1).event().data();
		assertThat(last.get("agentConnected").asBoolean()).isFalse();
		await().atMost(WAIT).until(() -> "timeout".equals(agentOf("c2").status()));
		assertThat(agentOf("c2").disconnectedAt()).isNotNull();
	}

	@Test
	void shouldKeepAnAgentThatHeartbeats() {
		try (WsTestClient agent = WsTestClient.connect(nodeB.agentUrl(TestTokens.agent("agent-c3", "c3")))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"c3\",\"version\":\"1.0.0\"}}");
			String sessionId = agent.awaitType("registered").get("data").get("sessionId").asString();
			WorkspaceLeases leases = nodeB.bean(WorkspaceLeases.class);
			// Redis loses the lease (e.g. flushed): the session takes it again at its
			// next
			// renewal, since nobody else holds it.
			nodeB.bean(StatefulRedisConnection.class)
				.sync()
				.del(shared.get("hub.broker.key-prefix") + "agent:lease:c3");
			boolean retaken = false;
			for (int i = 0; i < 40 && !(retaken && i >= 15); i++) {
				agent.send("{\"type\":\"heartbeat\",\"data\":{\"tabs\":[],\"lifecycle\":\"ready\"}}");
				sleep(150);
				Lease current = leases.current("c3").block(WAIT);
				retaken = current != null && current.sessionId().equals(sessionId);
			}
			assertThat(retaken).as("lease taken again by the same session").isTrue();
			assertThat(agent.isClosed()).isFalse();
			await().atMost(WAIT).until(() -> "ready".equals(agentOf("c3").lifecycle()));
			assertThat(agentOf("c3").lastHeartbeatAt()).isNotNull();
		}
	}

	@Test
	void shouldReconnectTheSidecarAfterItsInstanceRestarts() {
		Map<String, Object> properties = with(shared, "hub.agent.node-id", "node-r");
		AgentNode node = AgentNode.start(properties);
		int port = node.port();
		SidecarConfig config = SidecarConfig.of(URI.create("ws://localhost:" + port + "/agent/ws"),
				TestTokens.agent("agent-r", "c4"), "c4", this.repo);
		try (Sidecar sidecar = Sidecar.start(config)) {
			await().atMost(WAIT).until(() -> agentOf("c4") != null && "connected".equals(agentOf("c4").status()));
			String firstSession = agentOf("c4").sessionId();
			try (WsTestClient other = WsTestClient.connect(node.agentUrl(TestTokens.agent("agent-c5", "c5")))) {
				other.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"c5\"}}");
				other.awaitType("registered");
				node.close();
				assertThat(other.awaitClose(WAIT)).as("graceful shutdown closes agents with 1001").isEqualTo(1001);
			}
			assertThat(agentOf("c5").status()).as("state written before the instance stopped")
				.isEqualTo("disconnected");
			await().atMost(WAIT).until(() -> "disconnected".equals(agentOf("c4").status()));
			node = restartOn(properties, port);
			await().atMost(Duration.ofSeconds(40))
				.until(() -> "connected".equals(agentOf("c4").status())
						&& !firstSession.equals(agentOf("c4").sessionId()));
		}
		finally {
			node.close();
		}
	}

	/**
	 * Starts a node on a port that was just freed; another process of this busy machine
	 * may hold it for a moment (not a hub concern), so a few attempts are made.
	 */
	static AgentNode restartOn(Map<String, Object> properties, int port) {
		for (int attempt = 1;; attempt++) {
			try {
				return AgentNode.start(with(properties, "server.port", Integer.toString(port)));
			}
			catch (RuntimeException ex) {
				boolean portInUse = false;
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					portInUse |= cause instanceof PortInUseException;
				}
				if (!portInUse || attempt == 20) {
					throw ex;
				}
				sleep(500);
			}
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
