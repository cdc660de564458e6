package dev.agenthub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.sidecar.Sidecar;
import dev.agenthub.sidecar.SidecarConfig;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Terminal tabs from the hub: {@code POST /api/workspaces/{id}/tabs}, {@code DELETE
 * /api/workspaces/{id}/tabs/{tabId}} and {@code POST .../tabs/{tabId}/input}, and the
 * gateway's {@code tab:start}, {@code tab:stop} and {@code tab:input} (raw WebSocket and
 * Socket.IO), reach the workspace's agent as {@code tab:start}/{@code tab:stop}/
 * {@code tab:input} through the node holding it (two agent-service nodes on one Redis:
 * the agents are on node A, every request goes to node B); the real sidecar opens and
 * closes the tab. The refusals are attacks performed: another tenant, a watcher, ids that
 * are not ids, a tab too large for the agent, no agent.
 */
class TabIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	static Path repo;

	/** Holds the agents. */
	static AgentNode nodeA;

	/** Takes the requests. */
	static AgentNode nodeB;

	static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		nodeA = AgentNode.start(properties);
		nodeB = AgentNode.start(properties);
		gateway = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.gateway.warm-up.connections=0", "--hub.engine=redis",
					"--hub.redis.url=" + properties.get("hub.redis.url"),
					"--hub.broker.key-prefix=" + properties.get("hub.broker.key-prefix"),
					"--hub.auth.jwt-secret=" + TestTokens.SECRET, "--hub.gateway.agent-service-url=" + nodeB.url());
	}

	@AfterAll
	static void stop() {
		gateway.close();
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

	static WsTestClient browser(String token) {
		return WsTestClient.authenticated("ws://localhost:" + gatewayPort() + "/ws?token=" + token);
	}

	static String gatewayPort() {
		return gateway.getEnvironment().getProperty("local.server.port");
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

	static Http typeInto(String workspace, String token, String tabId, String body) {
		return Http.post(nodeB.url() + "/api/workspaces/" + workspace + "/tabs/" + tabId + "/input", token, body);
	}

	/**
	 * A browser opens a shell in the real sidecar over the gateway, types into it and
	 * sees what it answers, in the order typed, then types {@code exit}.
	 */
	@Test
	void shouldTypeIntoARealSidecarsTabFromABrowser() {
		List<Publication> seen = watch("workspace:tb-type");
		SidecarConfig config = SidecarConfig.of(URI.create("ws://localhost:" + nodeA.port() + "/agent/ws"),
				TestTokens.agent("sidecar-tb-type", "tb-type"), "tb-type", repo);
		try (Sidecar sidecar = Sidecar.start(config);
				WsTestClient browser = browser(TestTokens.user("tess", "tb-type"))) {
			await().atMost(WAIT)
				.until(() -> Http.get(nodeB.url() + "/api/workspaces/tb-type/agent", TestTokens.admin("a"))
					.body()
					.path("status")
					.asString()
					.equals("connected"));
			browser.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"tb-type\",\"tabId\":\"sh-1\","
					+ "\"command\":\"sh\"}}");
			assertThat(browser.await((m) -> m.path("id").asInt() == 1, WAIT).path("type").asString()).isEqualTo("ack");
			await().atMost(WAIT).until(() -> published(seen, "tab:started", "sh-1"));
			// as JSON string contents: a newline is \n
			String[] typed = { "echo one-$((6*7))\\n", "echo tw", "o-$((1+1))\\n", "echo three\\n" };
			for (int i = 0; i < typed.length; i++) {
				browser.send("{\"type\":\"tab:input\",\"id\":" + (10 + i) + ",\"data\":{\"workspaceId\":\"tb-type\","
						+ "\"tabId\":\"sh-1\",\"data\":\"" + typed[i] + "\"}}");
			}
			for (int i = 0; i < typed.length; i++) {
				int id = 10 + i;
				assertThat(browser.await((m) -> m.path("id").asInt() == id, WAIT).path("type").asString())
					.isEqualTo("ack");
			}
			await().atMost(WAIT).until(() -> output(seen, "sh-1").contains("three\n"));
			assertThat(output(seen, "sh-1")).isEqualTo("one-42\ntwo-2\nthree\n");
			assertThat(typeInto("tb-type", TestTokens.user("tess", "tb-type"), "sh-1", "{\"data\":\"exit 5\\n\"}")
				.status()).isEqualTo(202);
			await().atMost(WAIT)
				.until(() -> seen.stream()
					.anyMatch((p) -> p.event().type().equals("tab:stopped")
							&& p.event().data().path("exitCode").asInt() == 5));
		}
	}

	static String output(List<Publication> seen, String tabId) {
		StringBuilder text = new StringBuilder();
		seen.stream()
			.filter((p) -> p.event().type().equals("tab:output")
					&& p.event().data().path("tabId").asString().equals(tabId))
			.forEach((p) -> text.append(p.event().data().path("data").asString()));
		return text.toString();
	}

	@Test
	void shouldOpenAndCloseATabFromABrowserOverTheGateway() {
		try (WsTestClient agent = agent("tb-gw"); WsTestClient browser = browser(TestTokens.user("bea", "tb-gw"))) {
			browser.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"tb-gw\",\"command\":\"bash\","
					+ "\"args\":[\"-l\"],\"cwd\":\"/workspace\"}}");
			JsonNode ack = browser.await((m) -> m.path("id").asInt() == 1, WAIT);
			assertThat(ack.get("type").asString()).isEqualTo("ack");
			String tabId = ack.get("data").get("tabId").asString();
			assertThat(tabId).as("generated").isNotBlank();
			JsonNode start = agent.await((m) -> isTab(m, "tab:start"), WAIT);
			assertThat(start.get("data")).isEqualTo(HubJson
				.parse("{\"tabId\":\"" + tabId + "\",\"command\":\"bash\",\"args\":[\"-l\"],\"cwd\":\"/workspace\"}"));
			browser.send("{\"type\":\"tab:stop\",\"id\":2,\"data\":{\"workspaceId\":\"tb-gw\",\"tabId\":\"" + tabId
					+ "\"}}");
			JsonNode stopAck = browser.await((m) -> m.path("id").asInt() == 2, WAIT);
			assertThat(stopAck.get("type").asString()).isEqualTo("ack");
			assertThat(stopAck.get("data").get("tabId").asString()).isEqualTo(tabId);
			JsonNode stop = agent.await((m) -> isTab(m, "tab:stop"), WAIT);
			assertThat(stop.get("data")).isEqualTo(HubJson.parse("{\"tabId\":\"" + tabId + "\"}"));
			// the agent's events reach the browser on the workspace's channel
			agent.send("{\"type\":\"tab:started\",\"data\":{\"tabId\":\"" + tabId + "\",\"command\":\"bash\"}}");
			assertThat(browser.await((m) -> m.path("type").asString().equals("tab:started"), WAIT)
				.path("channel")
				.asString()).isEqualTo("workspace:tb-gw");
		}
	}

	@Test
	void shouldOpenAndCloseATabFromASocketIoBrowser() {
		try (WsTestClient agent = agent("tb-sio");
				SocketIoTestClient browser = SocketIoTestClient.connect("ws://localhost:" + gatewayPort(), "/",
						HubJson.object().put("token", TestTokens.user("sia", "tb-sio")).put("subscribe", false),
						65536)) {
			assertThat(browser.connectReply().path("type").asString()).isEqualTo("connect");
			int start = browser.emitWithAck("tab:start",
					HubJson.parse("{\"workspaceId\":\"tb-sio\",\"tabId\":\"t-sio\",\"command\":\"top\"}"));
			assertThat(browser.awaitAck(start, WAIT).path("tabId").asString()).isEqualTo("t-sio");
			assertThat(agent.await((m) -> isTab(m, "tab:start"), WAIT).path("data").path("tabId").asString())
				.isEqualTo("t-sio");
			int stop = browser.emitWithAck("tab:stop",
					HubJson.parse("{\"workspaceId\":\"tb-sio\",\"tabId\":\"t-sio\"}"));
			assertThat(browser.awaitAck(stop, WAIT).path("tabId").asString()).isEqualTo("t-sio");
			assertThat(agent.await((m) -> isTab(m, "tab:stop"), WAIT).path("data").path("tabId").asString())
				.isEqualTo("t-sio");
			int refused = browser.emitWithAck("tab:start",
					HubJson.parse("{\"workspaceId\":\"tb-other\",\"command\":\"top\"}"));
			assertThat(browser.awaitAck(refused, WAIT).path("code").asString()).isEqualTo("forbidden");
		}
	}

	/**
	 * Another tenant, and a member who may only watch, try to open and close tabs in a
	 * workspace over REST and the gateway: every attempt is refused and the workspace's
	 * agent is sent nothing.
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
			assertThat(typeInto("tb-acme", eve, "pwn", "{\"data\":\"rm -rf /\\n\"}").status()).isEqualTo(403);
			assertThat(typeInto("tb-acme", watcher, "pwn", "{\"data\":\"rm -rf /\\n\"}").status()).isEqualTo(403);
			try (WsTestClient browser = browser(eve); WsTestClient watching = browser(watcher)) {
				browser.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"tb-acme\",\"tabId\":\"pwn\","
						+ "\"command\":\"sh\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 1, WAIT).path("data").path("code").asString())
					.isEqualTo("forbidden");
				browser
					.send("{\"type\":\"tab:stop\",\"id\":2,\"data\":{\"workspaceId\":\"tb-acme\",\"tabId\":\"pwn\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 2, WAIT).path("data").path("code").asString())
					.isEqualTo("forbidden");
				browser.send("{\"type\":\"tab:input\",\"id\":5,\"data\":{\"workspaceId\":\"tb-acme\",\"tabId\":\"pwn\","
						+ "\"data\":\"rm -rf /\\n\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 5, WAIT).path("data").path("code").asString())
					.isEqualTo("forbidden");
				watching.send("{\"type\":\"tab:input\",\"id\":6,\"data\":{\"workspaceId\":\"tb-acme\","
						+ "\"tabId\":\"x\",\"data\":\"ls\\n\"}}");
				assertThat(watching.await((m) -> m.path("id").asInt() == 6, WAIT).path("data").path("code").asString())
					.isEqualTo("forbidden");
				watching
					.send("{\"type\":\"tab:stop\",\"id\":3,\"data\":{\"workspaceId\":\"tb-acme\",\"tabId\":\"x\"}}");
				JsonNode refused = watching.await((m) -> m.path("id").asInt() == 3, WAIT);
				assertThat(refused.path("data").path("code").asString()).isEqualTo("forbidden");
				assertThat(refused.path("data").path("error").asString()).contains("watch but not run");
				// the attacker's own workspace works: its tab goes to its own agent only
				browser.send("{\"type\":\"tab:start\",\"id\":4,\"data\":{\"workspaceId\":\"tb-evil\",\"tabId\":\"pwn\","
						+ "\"command\":\"sh\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 4, WAIT).path("type").asString())
					.isEqualTo("ack");
				attackerAgent.await((m) -> isTab(m, "tab:start"), WAIT);
			}
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
			assertThat(typeInto("tb-ids", token, "a%2Fb", "{\"data\":\"ls\\n\"}").status()).isEqualTo(400);
			for (String body : new String[] { "{}", "{\"data\":42}", "{\"data\":\"\"}", "[]", "\"ls\"" }) {
				Http reply = typeInto("tb-ids", token, "t1", body);
				assertThat(reply.status()).as(body).isEqualTo(400);
				assertThat(reply.body().get("code").asString()).as(body).isEqualTo("bad_request");
			}
			Http paste = typeInto("tb-ids", token, "t1", "{\"data\":\"" + "y".repeat(16 * 1024 + 1) + "\"}");
			assertThat(paste.status()).isEqualTo(413);
			assertThat(paste.body().get("code").asString()).isEqualTo("too_large");
			try (WsTestClient browser = browser(token)) {
				browser
					.send("{\"type\":\"tab:stop\",\"id\":1,\"data\":{\"workspaceId\":\"tb-ids\",\"tabId\":\"../x\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 1, WAIT).path("data").path("code").asString())
					.isEqualTo("bad_request");
				browser.send("{\"type\":\"tab:start\",\"id\":2,\"data\":{\"workspaceId\":\"tb-ids\",\"tabId\":\"a b\","
						+ "\"command\":\"sh\"}}");
				assertThat(browser.await((m) -> m.path("id").asInt() == 2, WAIT).path("data").path("code").asString())
					.isEqualTo("bad_request");
			}
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

	/**
	 * An agent that registered capabilities without {@code tabs} would ignore
	 * {@code tab:start}: the client is told at once instead of waiting for a
	 * {@code tab:started} that never comes; the agent is sent nothing.
	 */
	@Test
	void shouldRefuseATabForAnAgentThatDoesNotRunTabs() {
		try (WsTestClient agent = WsTestClient
			.connect(nodeA.agentUrl(TestTokens.agent("agent-tb-notabs", "tb-notabs")))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"tb-notabs\",\"version\":\"1.0.0\","
					+ "\"capabilities\":[\"commands\",\"git\"]}}");
			agent.awaitType("registered");
			Http refused = startTab("tb-notabs", TestTokens.user("nia", "tb-notabs"), "{\"command\":\"sh\"}");
			assertThat(refused.status()).isEqualTo(409);
			assertThat(refused.body().get("code").asString()).isEqualTo("conflict");
			assertThat(refused.body().get("error").asString()).contains("does not run terminal tabs");
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
		try (WsTestClient browser = browser(token)) {
			browser
				.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"tb-nobody\",\"command\":\"sh\"}}");
			assertThat(browser.await((m) -> m.path("id").asInt() == 1, WAIT).path("data").path("code").asString())
				.isEqualTo("no_agent");
		}
	}

}
