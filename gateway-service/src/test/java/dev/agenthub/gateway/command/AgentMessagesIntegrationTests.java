package dev.agenthub.gateway.command;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket messages that drive a workspace's agent besides {@code command}:
 * {@code tab:start}, {@code tab:stop} and {@code cancel}, over the raw WebSocket (in the
 * hub's, the flat and the payload dialects) and as Socket.IO events with acks, against a
 * real gateway and a stub agent-service that records what it is asked. A refused message
 * (another tenant's workspace or task, a watcher, an id that is no id) asks agent-service
 * nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AgentMessagesIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** What the stub was asked: {@code "METHOD path"}, the user, the body. */
	static final List<Request> requests = new CopyOnWriteArrayList<>();

	static final DisposableServer agentService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			String path = URLDecoder.decode(request.uri(), StandardCharsets.UTF_8);
			String call = request.method().name() + " " + path;
			requests.add(new Request(call, request.requestHeaders().get("X-Hub-On-Behalf-Of"),
					request.requestHeaders().get("Authorization"), body));
			String[] reply = answer(call, body).split(" ", 2);
			return response.status(Integer.parseInt(reply[0]))
				.header("Content-Type", "application/json")
				.sendString(Mono.just(reply[1]))
				.then();
		}))
		.bindNow();

	/** The stub's answers: w1's tabs and task k1 (of w1), task k2 of w2. */
	static String answer(String call, String body) {
		return switch (call) {
			case "POST /api/workspaces/w1/tabs" -> HubJson.parse(body).has("command")
					? "202 {\"tabId\":\"" + HubJson.parse(body).path("tabId").asString("generated-1") + "\"}"
					: "400 {\"code\":\"bad_request\",\"error\":\"command is required (a string)\"}";
			case "DELETE /api/workspaces/w1/tabs/t1" -> "202 {\"tabId\":\"t1\"}";
			case "GET /api/channels/task:k1/owner" -> "200 {\"channel\":\"task:k1\",\"workspaceId\":\"w1\"}";
			case "GET /api/channels/task:k2/owner" -> "200 {\"channel\":\"task:k2\",\"workspaceId\":\"w2\"}";
			case "POST /api/workspaces/w1/tasks/k1/cancel" ->
				"202 {\"taskId\":\"k1\",\"status\":\"running\",\"duplicate\":false}";
			case "POST /api/workspaces/w3/tabs" ->
				"409 {\"code\":\"no_agent\",\"error\":\"no agent is connected for workspace w3\"}";
			default -> "404 {\"code\":\"not_found\",\"error\":\"nothing at " + call + "\"}";
		};
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.gateway.agent-service-url", () -> "http://127.0.0.1:" + agentService.port());
	}

	@AfterAll
	static void stopAgentService() {
		agentService.disposeNow();
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void forget() {
		requests.clear();
	}

	WsTestClient browser(String token) {
		return WsTestClient.authenticated("ws://localhost:" + this.port + "/ws?subscribe=none&token=" + token);
	}

	static JsonNode reply(WsTestClient client, int id) {
		return client.await((m) -> m.path("id").asInt() == id, WAIT);
	}

	List<String> calls() {
		return requests.stream().map(Request::call).toList();
	}

	@Test
	void shouldForwardTabStartAndTabStopForTheUserAndAckWithTheTabId() {
		try (WsTestClient browser = browser(TestTokens.user("alice", "w1"))) {
			browser.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"w1\",\"command\":\"bash\","
					+ "\"args\":[\"-l\"],\"cwd\":\"/w\",\"env\":{\"A\":\"1\"},\"extra\":true}}");
			JsonNode ack = reply(browser, 1);
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("data")).isEqualTo(HubJson.parse("{\"tabId\":\"generated-1\"}"));
			Request start = requests.get(0);
			assertThat(start.call()).isEqualTo("POST /api/workspaces/w1/tabs");
			assertThat(start.onBehalfOf()).isEqualTo("alice");
			assertThat(start.authorization()).startsWith("Bearer ");
			assertThat(HubJson.parse(start.body())).as("only a tab's fields")
				.isEqualTo(HubJson.parse("{\"command\":\"bash\",\"args\":[\"-l\"],\"cwd\":\"/w\"}"));
			browser.send("{\"type\":\"tab:start\",\"id\":2,\"data\":{\"workspaceId\":\"w1\",\"tabId\":\"t1\","
					+ "\"command\":\"bash\"}}");
			assertThat(reply(browser, 2).path("data").path("tabId").asString()).isEqualTo("t1");
			browser.send("{\"type\":\"tab:stop\",\"id\":3,\"data\":{\"workspaceId\":\"w1\",\"tabId\":\"t1\"}}");
			JsonNode stopped = reply(browser, 3);
			assertThat(stopped.path("type").asString()).isEqualTo("ack");
			assertThat(stopped.path("data").path("tabId").asString()).isEqualTo("t1");
			assertThat(calls()).containsExactly("POST /api/workspaces/w1/tabs", "POST /api/workspaces/w1/tabs",
					"DELETE /api/workspaces/w1/tabs/t1");
			assertThat(requests.get(1).body()).contains("\"tabId\":\"t1\"");
			assertThat(requests.get(2).onBehalfOf()).isEqualTo("alice");
			// agent-service's refusal is the message's error, with its code
			browser.send("{\"type\":\"tab:start\",\"id\":4,\"data\":{\"workspaceId\":\"w1\",\"tabId\":\"t9\"}}");
			JsonNode refused = reply(browser, 4);
			assertThat(refused.path("type").asString()).isEqualTo("error");
			assertThat(refused.path("data"))
				.isEqualTo(HubJson.parse("{\"code\":\"bad_request\",\"error\":\"command is required (a string)\"}"));
		}
		try (WsTestClient browser = browser(TestTokens.user("nina", "w3"))) {
			browser.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"w3\",\"command\":\"sh\"}}");
			assertThat(reply(browser, 1).path("data").path("code").asString()).isEqualTo("no_agent");
		}
	}

	@Test
	void shouldCancelATaskInItsOwnersWorkspaceForTheUser() {
		try (WsTestClient browser = browser(TestTokens.user("bob", "w1"))) {
			browser.send("{\"type\":\"cancel\",\"id\":1,\"data\":{\"taskId\":\"k1\"}}");
			JsonNode ack = reply(browser, 1);
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("data")).isEqualTo(HubJson.parse("{\"taskId\":\"k1\",\"status\":\"running\"}"));
			// the owner may be remembered from an earlier look-up
			assertThat(calls()).filteredOn((call) -> !call.equals("GET /api/channels/task:k1/owner"))
				.containsExactly("POST /api/workspaces/w1/tasks/k1/cancel");
			assertThat(requests.get(requests.size() - 1).onBehalfOf()).isEqualTo("bob");
		}
	}

	/**
	 * A user of w2 opens, closes and cancels in w1, a watcher of w1 too, and ids that are
	 * no ids are sent: each is refused before agent-service is asked to act.
	 */
	@Test
	void shouldRefuseAnotherTenantsWorkspaceAndTaskWithoutAskingAgentService() {
		try (WsTestClient attacker = browser(TestTokens.user("eve", "w2"));
				WsTestClient watcher = browser(watcher("walt", List.of("w1", "w2"), List.of("w2")))) {
			attacker.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"w1\",\"tabId\":\"t1\","
					+ "\"command\":\"sh\"}}");
			assertThat(reply(attacker, 1).path("data").path("code").asString()).isEqualTo("forbidden");
			attacker.send("{\"type\":\"tab:stop\",\"id\":2,\"data\":{\"workspaceId\":\"w1\",\"tabId\":\"t1\"}}");
			assertThat(reply(attacker, 2).path("data").path("code").asString()).isEqualTo("forbidden");
			attacker.send("{\"type\":\"cancel\",\"id\":3,\"data\":{\"taskId\":\"k1\"}}");
			JsonNode notFound = reply(attacker, 3);
			assertThat(notFound.path("data").path("code").asString()).isEqualTo("not_found");
			assertThat(notFound.toString()).as("the task's workspace is not named").doesNotContain("w1");
			attacker.send("{\"type\":\"cancel\",\"id\":4,\"data\":{\"taskId\":\"k0\"}}");
			assertThat(reply(attacker, 4).path("data").path("code").asString()).as("as a missing task")
				.isEqualTo("not_found");
			attacker.send("{\"type\":\"tab:stop\",\"id\":5,\"data\":{\"workspaceId\":\"w2\",\"tabId\":\"../t1\"}}");
			assertThat(reply(attacker, 5).path("data").path("code").asString()).isEqualTo("bad_request");
			attacker.send("{\"type\":\"cancel\",\"id\":6,\"data\":{\"taskId\":\"k1/../k2\"}}");
			assertThat(reply(attacker, 6).path("data").path("code").asString()).isEqualTo("bad_request");
			attacker.send("{\"type\":\"cancel\",\"id\":7,\"data\":{\"taskId\":42}}");
			assertThat(reply(attacker, 7).path("data").path("code").asString()).isEqualTo("bad_request");
			watcher.send("{\"type\":\"tab:start\",\"id\":1,\"data\":{\"workspaceId\":\"w1\",\"command\":\"sh\"}}");
			JsonNode watching = reply(watcher, 1);
			assertThat(watching.path("data").path("code").asString()).isEqualTo("forbidden");
			assertThat(watching.path("data").path("error").asString()).contains("watch but not run");
			watcher.send("{\"type\":\"cancel\",\"id\":2,\"data\":{\"taskId\":\"k1\"}}");
			assertThat(reply(watcher, 2).path("data").path("code").asString()).isEqualTo("forbidden");
		}
		assertThat(calls()).as("only owner look-ups").allMatch((call) -> call.startsWith("GET /api/channels/task:"));
	}

	@Test
	void shouldAnswerSocketIoEventsThroughTheirAcks() {
		try (SocketIoTestClient browser = SocketIoTestClient.connect("ws://localhost:" + this.port, "/",
				HubJson.object().put("token", TestTokens.user("sia", "w1")).put("subscribe", false), 65536)) {
			assertThat(browser.connectReply().path("type").asString()).isEqualTo("connect");
			int start = browser.emitWithAck("tab:start",
					HubJson.parse("{\"workspaceId\":\"w1\",\"tabId\":\"t1\",\"command\":\"sh\"}"));
			assertThat(browser.awaitAck(start, WAIT)).isEqualTo(HubJson.parse("{\"tabId\":\"t1\"}"));
			int stop = browser.emitWithAck("tab:stop", HubJson.parse("{\"workspaceId\":\"w1\",\"tabId\":\"t1\"}"));
			assertThat(browser.awaitAck(stop, WAIT)).isEqualTo(HubJson.parse("{\"tabId\":\"t1\"}"));
			int cancel = browser.emitWithAck("cancel", HubJson.parse("{\"taskId\":\"k1\"}"));
			assertThat(browser.awaitAck(cancel, WAIT).path("status").asString()).isEqualTo("running");
			int forbidden = browser.emitWithAck("cancel", HubJson.parse("{\"taskId\":\"k2\"}"));
			assertThat(browser.awaitAck(forbidden, WAIT).path("code").asString()).isEqualTo("not_found");
		}
		assertThat(calls())
			.contains("POST /api/workspaces/w1/tabs", "DELETE /api/workspaces/w1/tabs/t1",
					"POST /api/workspaces/w1/tasks/k1/cancel")
			.doesNotContain("POST /api/workspaces/w2/tasks/k2/cancel");
	}

	/** A user token whose {@code exec} claim names fewer workspaces than it sees. */
	static String watcher(String subject, List<String> workspaces, List<String> exec) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.claim("roles", List.of("user"))
			.claim("workspaces", workspaces)
			.claim("exec", exec)
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void shouldTakeTheMessagesInTheFlatAndPayloadDialects() {
		try (WsTestClient flat = WsTestClient.connect("ws://localhost:" + this.port
				+ "/ws?dialect=flat&subscribe=none&token=" + TestTokens.user("flo", "w1"))) {
			assertThat(flat.awaitType("auth").path("success").asBoolean()).isTrue();
			flat.send("{\"type\":\"tab:start\",\"id\":1,\"workspaceId\":\"w1\",\"tabId\":\"t1\",\"command\":\"sh\"}");
			JsonNode ack = reply(flat, 1);
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("tabId").asString()).isEqualTo("t1");
			flat.send("{\"type\":\"cancel\",\"id\":2,\"taskId\":\"k1\"}");
			assertThat(reply(flat, 2).path("status").asString()).isEqualTo("running");
		}
		try (WsTestClient payload = WsTestClient.connect("ws://localhost:" + this.port
				+ "/ws?dialect=payload&subscribe=none&token=" + TestTokens.user("pat", "w1"))) {
			assertThat(payload.awaitType("auth").path("payload").path("success").asBoolean()).isTrue();
			payload.send("{\"type\":\"tab:stop\",\"id\":1,\"payload\":{\"workspaceId\":\"w1\",\"tabId\":\"t1\"}}");
			JsonNode ack = reply(payload, 1);
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("payload").path("tabId").asString()).isEqualTo("t1");
		}
		assertThat(calls()).contains("POST /api/workspaces/w1/tabs", "POST /api/workspaces/w1/tasks/k1/cancel",
				"DELETE /api/workspaces/w1/tabs/t1");
	}

	/**
	 * One call to the stub.
	 *
	 * @param call {@code "METHOD path"}, the path decoded
	 * @param onBehalfOf the user named, or {@code null}
	 * @param authorization the {@code Authorization} header
	 * @param body the body, empty when none
	 */
	record Request(String call, String onBehalfOf, String authorization, String body) {

	}

}
