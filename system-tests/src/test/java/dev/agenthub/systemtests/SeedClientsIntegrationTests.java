package dev.agenthub.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed systems' own clients against the hub, each exactly as its seed describes it
 * (URL shape, first messages, envelopes), changed only in URL and token: seed 001's
 * daemon and web app (flat dialect at {@code /api/ws}), seed 003's Electron client
 * ({@code event} dialect, first-message auth, {@code sync_request}) and seed 004's
 * Fastify client ({@code payload} dialect, {@code subscribe:agent}/{@code unsubscribe}).
 */
class SeedClientsIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static HubCluster hub;

	static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		hub = new HubCluster().start();
		gateway = hub.startGateway();
	}

	@AfterAll
	static void stop() {
		hub.close();
	}

	static String gatewayWs(String pathAndQuery) {
		return "ws://127.0.0.1:" + HubCluster.port(gateway) + pathAndQuery;
	}

	static JsonNode post(int port, String path, String token, String body) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.timeout(WAIT)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
		return HubJson.parse(response.body());
	}

	@Test
	void seed001DaemonAndWebAppSpeakTheFlatShapes() throws Exception {
		String workspace = "seed1";
		try (WsTestClient daemon = WsTestClient.connect("ws://127.0.0.1:" + hub.agentPort() + "/api/ws")) {
			daemon.sendJson(Map.of("type", "auth", "daemonId", "d1", "authToken",
					TestTokens.agent("daemon-" + workspace, workspace)));
			assertThat(daemon.awaitType("registered").path("sessionId").asString()).isNotBlank();
			try (WsTestClient app = WsTestClient.connect(gatewayWs(
					"/api/ws?workspaceId=" + workspace + "&token=" + TestTokens.user("seed1-user", workspace)))) {
				JsonNode auth = app.awaitType("auth");
				assertThat(auth.path("success").asBoolean()).isTrue();
				assertThat(app.awaitType("subscribed").path("channel").asString()).isEqualTo("workspace:" + workspace);
				JsonNode accepted = post(hub.agentPort(), "/api/workspaces/" + workspace + "/commands",
						TestTokens.user("seed1-user", workspace),
						"{\"command\":\"ls\",\"args\":[\"-la\"],\"cwd\":\"/work\"}");
				String taskId = accepted.path("taskId").asString();
				JsonNode command = daemon.awaitType("command");
				assertThat(command.path("taskId").asString()).isEqualTo(taskId);
				assertThat(command.path("command").asString()).isEqualTo("ls");
				assertThat(command.path("args").get(0).asString()).isEqualTo("-la");
				assertThat(command.has("data")).as("flat: no envelope").isFalse();
				daemon.sendJson(Map.of("type", "output", "taskId", taskId, "output", "total 0\n", "isError", false));
				daemon.sendJson(Map.of("type", "status", "taskId", taskId, "status", "completed"));
				daemon.sendJson(Map.of("type", "heartbeat"));
				JsonNode output = app.await((m) -> "output".equals(m.path("type").asString()), WAIT);
				assertThat(output.path("taskId").asString()).isEqualTo(taskId);
				assertThat(output.path("output").asString()).isEqualTo("total 0\n");
				assertThat(output.path("isError").asBoolean(true)).isFalse();
				JsonNode status = app.await((m) -> "status".equals(m.path("type").asString())
						&& "completed".equals(m.path("status").asString()), WAIT);
				assertThat(status.path("taskId").asString()).isEqualTo(taskId);
			}
		}
	}

	@Test
	void seed003ElectronClientAuthenticatesFirstAndSyncsChanges() throws Exception {
		String workspace = "seed3";
		try (WsTestClient client = WsTestClient.connect(gatewayWs("/ws?dialect=event"),
				Map.of("x-client-id", "desktop-seed3"))) {
			client.sendJson(Map.of("type", "auth", "token", TestTokens.user("seed3-user", workspace)));
			JsonNode auth = client.awaitType("auth");
			assertThat(auth.path("success").asBoolean()).isTrue();
			assertThat(auth.path("clientId").asString()).isEqualTo("desktop-seed3");
			String since = java.time.Instant.now().minusSeconds(5).toString();
			post(hub.broadcastPort(), "/api/changes", TestTokens.service("backend"), "{\"channel\":\"workspace:"
					+ workspace + "\",\"event\":\"task.statusChanged\",\"table\":\"tasks\","
					+ "\"recordId\":\"t-1\",\"action\":\"update\",\"data\":{\"taskId\":\"t-1\",\"status\":\"done\"}}");
			JsonNode event = client.await((m) -> "event".equals(m.path("type").asString())
					&& "task.statusChanged".equals(m.path("event").asString()), WAIT);
			assertThat(event.path("data").path("status").asString()).isEqualTo("done");
			assertThat(event.path("timestamp").asString()).isNotBlank();
			client.sendJson(Map.of("type", "sync_request", "since", since));
			JsonNode sync = client.awaitType("sync_response");
			assertThat(sync.path("syncTimestamp").asString()).isNotBlank();
			assertThat(sync.path("changes").findValuesAsString("recordId")).contains("t-1");
			// seed 003's WsMessage names the time timestamp
			client.sendJson(Map.of("type", "sync_request", "timestamp", since));
			JsonNode byTimestamp = client.awaitType("sync_response");
			assertThat(byTimestamp.path("changes").findValuesAsString("recordId")).contains("t-1");
			// again from the syncTimestamp it was given: nothing twice
			client.sendJson(Map.of("type", "sync_request", "since", byTimestamp.path("syncTimestamp").asString()));
			assertThat(client.awaitType("sync_response").path("changes").size()).isZero();
			client.sendJson(Map.of("type", "ping"));
			assertThat(client.awaitType("pong").path("type").asString()).isEqualTo("pong");
		}
	}

	@Test
	void seed004FastifyClientSubscribesToAnAgentAndGetsPayloadShapes() throws Exception {
		String workspace = "seed4";
		String agentId = "seed4-agent";
		try (WsTestClient client = WsTestClient
			.connect(gatewayWs("/ws?dialect=payload&subscribe=none&token=" + TestTokens.user("seed4-user", workspace)));
				WsTestClient agent = WsTestClient.connect("ws://127.0.0.1:" + hub.agentPort() + "/agent/ws",
						Map.of("Authorization", "Bearer " + TestTokens.agent(agentId, workspace)))) {
			assertThat(client.awaitType("auth").path("payload").path("success").asBoolean()).isTrue();
			agent.sendJson(Map.of("type", "register", "data", Map.of("workspaceId", workspace, "version", "1.0.0")));
			agent.awaitType("registered");
			client.sendJson(Map.of("type", "subscribe:agent", "payload", Map.of("agentId", agentId)));
			JsonNode subscribed = client.awaitType("subscribed");
			assertThat(subscribed.path("payload").path("channel").asString()).isEqualTo("agent:" + agentId);
			agent.sendJson(Map.of("type", "agent:output", "data",
					Map.of("agentId", agentId, "content", "thinking", "role", "assistant")));
			JsonNode output = client.await((m) -> "agent:output".equals(m.path("type").asString()), WAIT);
			assertThat(output.path("payload").path("content").asString()).isEqualTo("thinking");
			assertThat(output.path("timestamp").asString()).isNotBlank();
			assertThat(output.has("data")).as("payload dialect: no data envelope").isFalse();
			client.sendJson(Map.of("type", "unsubscribe:agent", "payload", Map.of("agentId", agentId)));
			assertThat(client.awaitType("unsubscribed").path("payload").path("channel").asString())
				.isEqualTo("agent:" + agentId);
			client.sendJson(Map.of("type", "ping"));
			assertThat(client.awaitType("pong").path("type").asString()).isEqualTo("pong");
		}
	}

}
