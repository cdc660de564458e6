package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.springframework.http.HttpMethod;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Terminal tabs from the hub: {@code POST /api/workspaces/{id}/tabs} and {@code DELETE
 * /api/workspaces/{id}/tabs/{tabId}} reach the workspace's agent as
 * {@code tab:start}/{@code tab:stop} through the node holding it (two agent-service nodes
 * on one Redis: the agents are on node A, every request goes to node B); the real sidecar
 * opens and closes the tab. The refusals are attacks performed: another tenant, a
 * watcher, ids that are not ids, a tab too large for the agent, no agent.
 */
class TabIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	static Path repo;

	/** Holds the agents. */
	static AgentNode nodeA;

	/** Takes the requests. */
	static AgentNode nodeB;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		nodeA = AgentNode.start(properties);
		nodeB = AgentNode.start(properties);
	}

	@AfterAll
	static void stop() {
		nodeB.close();
		nodeA.close();
	}

	/** A raw agent of a workspace on node A, which records what it is sent. */
	static WsTestClient agent(String workspace) {
		WsTestClient agent = WsTestClient.connect(nodeA.agentUrl(TestTokens.agent("agent-" + workspace, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace
				+ "\",\"version\":\"1.0.0\",\"capabilities\":[\"commands\",\"tabs\"]}}");
		agent.awaitType("registered");
		return agent;
	}

	static Http startTab(String workspace, String token, String body) {
		return Http.post(nodeB.url() + "/api/workspaces/" + workspace + "/tabs", token, body);
	}

	/** {@code tabId} as it goes in the path: what is percent-encoded in it stays so. */
	static Http stopTab(String workspace, String token, String tabId) {
		return Http.call(HttpMethod.DELETE, URI.create(nodeB.url() + "/api/workspaces/" + workspace + "/tabs/" + tabId),
				token, null);
	}

	static boolean isTab(JsonNode message, String type) {
		return message.path("type").asString().startsWith("tab:")
				&& (type == null || message.path("type").asString().equals(type));
	}

	/** The agent is sent no {@code tab:*} message, also for a while longer. */
	static void assertSentNoTab(WsTestClient agent) {
		await().during(Duration.ofMillis(500))
			.atMost(WAIT)
			.until(() -> agent.received().stream().noneMatch((m) -> isTab(m, null)));
	}

	static List<Publication> watch(String channel) {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = nodeB.bean(Broker.class).subscribe(channel, seen::add).block(WAIT);
		assertThat(registration).isNotNull();
		return seen;
	}

	static boolean published(List<Publication> seen, String type, String tabId) {
		return seen.stream()
			.anyMatch((p) -> p.event().type().equals(type) && p.event().data().path("tabId").asString().equals(tabId));
	}

	@Test
	void shouldOpenAndCloseARealSidecarsTabThroughAnotherNode() {
		List<Publication> seen = watch("workspace:tb-real");
		SidecarConfig config = SidecarConfig.of(URI.create("ws://localhost:" + nodeA.port() + "/agent/ws"),
				TestTokens.agent("sidecar-tb-real", "tb-real"), "tb-real", repo);
		try (Sidecar sidecar = Sidecar.start(config)) {
			await().atMost(WAIT)
				.until(() -> Http.get(nodeB.url() + "/api/workspaces/tb-real/agent", TestTokens.admin("a"))
					.body()
					.path("status")
					.asString()
					.equals("connected"));
			String token = TestTokens.user("alice", "tb-real");
			Http started = startTab("tb-real", token,
					"{\"tabId\":\"shell-1\",\"command\":\"sh\",\"args\":[\"-c\",\"echo tab-is-up; exec sleep 60\"]}");
			assertThat(started.status()).isEqualTo(202);
			assertThat(started.body().get("tabId").asString()).isEqualTo("shell-1");
			await().atMost(WAIT).until(() -> published(seen, "tab:started", "shell-1"));
			await().atMost(WAIT)
				.until(() -> seen.stream()
					.anyMatch((p) -> p.event().type().equals("tab:output")
							&& p.event().data().path("data").asString().contains("tab-is-up")));
			assertThat(published(seen, "tab:stopped", "shell-1")).as("the tab stays up").isFalse();
			Http stopped = stopTab("tb-real", token, "shell-1");
			assertThat(stopped.status()).isEqualTo(202);
			assertThat(stopped.body().get("tabId").asString()).isEqualTo("shell-1");
			await().atMost(WAIT).until(() -> published(seen, "tab:stopped", "shell-1"));
		}
	}

	/**
	 * Another tenant, and a member who may only watch, try to open and close tabs in a
	 * workspace over REST: every attempt is refused and the workspace's agent is sent
	 * nothing.
	 */
	@Test
	void shouldNotLetAnotherTenantOrAWatcherOpenOrCloseATab() {
		try (WsTestClient victim = agent("tb-acme"); WsTestClient attackerAgent = agent("tb-evil")) {
			String eve = TestTokens.user("eve", "tb-evil");
			Http rest = startTab("tb-acme", eve, "{\"tabId\":\"pwn\",\"command\":\"sh\"}");
			assertThat(rest.status()).isEqualTo(403);
			assertThat(rest.body().get("code").asString()).isEqualTo("forbidden");
			assertThat(stopTab("tb-acme", eve, "pwn").status()).isEqualTo(403);
			String watcher = TenantIsolationIntegrationTests.token("wendy", List.of("tb-acme", "tb-evil"),
					List.of("tb-evil"), Duration.ofHours(1));
			assertThat(startTab("tb-acme", watcher, "{\"command\":\"sh\"}").status()).isEqualTo(403);
			assertThat(stopTab("tb-acme", watcher, "pwn").status()).isEqualTo(403);
			// the attacker's own workspace works: its tab goes to its own agent only
			assertThat(startTab("tb-evil", eve, "{\"tabId\":\"pwn\",\"command\":\"sh\"}").status()).isEqualTo(202);
			attackerAgent.await((m) -> isTab(m, "tab:start"), WAIT);
			assertSentNoTab(victim);
		}
	}

	@Test
	void shouldRefuseTabIdsThatAreNotIds() {
		try (WsTestClient agent = agent("tb-ids")) {
			String token = TestTokens.user("ida", "tb-ids");
			for (String body : new String[] { "{\"tabId\":\"bad id\",\"command\":\"sh\"}",
					"{\"tabId\":\"../../etc\",\"command\":\"sh\"}", "{\"tabId\":\"a/b\",\"command\":\"sh\"}",
					"{\"tabId\":\"" + "t".repeat(129) + "\",\"command\":\"sh\"}", "{\"tabId\":\"\",\"command\":\"sh\"}",
					"{\"tabId\":42,\"command\":\"sh\"}", "{\"tabId\":\"ok\"}", "{\"tabId\":\"ok\",\"command\":\" \"}",
					"{\"tabId\":\"ok\",\"command\":\"sh\",\"args\":\"-l\"}", "[]" }) {
				Http reply = startTab("tb-ids", token, body);
				assertThat(reply.status()).as(body).isEqualTo(400);
				assertThat(reply.body().get("code").asString()).as(body).isEqualTo("bad_request");
			}
			assertThat(stopTab("tb-ids", token, "bad%20id").status()).isEqualTo(400);
			assertThat(stopTab("tb-ids", token, "a%2Fb").status()).isEqualTo(400);
			assertThat(stopTab("tb-ids", token, "t".repeat(129)).status()).isEqualTo(400);
			// a tab too large for the agent's frame, like a command
			String arg = "a".repeat(4000);
			StringBuilder args = new StringBuilder();
			for (int i = 0; i < 20; i++) {
				args.append((i > 0) ? "," : "").append('"').append(arg).append('"');
			}
			Http large = startTab("tb-ids", token, "{\"command\":\"echo\",\"args\":[" + args + "]}");
			assertThat(large.status()).isEqualTo(413);
			assertThat(large.body().get("code").asString()).isEqualTo("too_large");
			assertSentNoTab(agent);
		}
	}

	@Test
	void shouldAnswerNoAgentWhenNoneIsConnected() {
		String token = TestTokens.user("nora", "tb-nobody");
		Http start = startTab("tb-nobody", token, "{\"command\":\"sh\"}");
		assertThat(start.status()).isEqualTo(409);
		assertThat(start.body().get("code").asString()).isEqualTo("no_agent");
		assertThat(start.body().get("error").asString()).contains("no agent is connected for workspace tb-nobody")
			.contains("tabs are not queued");
		Http stop = stopTab("tb-nobody", token, "t1");
		assertThat(stop.status()).isEqualTo(409);
		assertThat(stop.body().get("code").asString()).isEqualTo("no_agent");
	}

}
