package dev.agenthub.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.agent.min-version=1.2.0")
class AgentIngressIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.engine", () -> "redis");
		registry.add("hub.redis.url", RedisFixture::url);
		registry.add("hub.broker.key-prefix", RedisFixture::uniquePrefix);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		PostgresFixture.Database db = PostgresFixture.newDatabase();
		registry.add("hub.postgres.url", () -> db.r2dbcUrl().substring("r2dbc:".length()));
		registry.add("hub.postgres.user", db::username);
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	WsTestClient agent(String token) {
		return WsTestClient.connect("ws://localhost:" + this.port + "/agent/ws?token=" + token);
	}

	List<Publication> watch(String channel) {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = this.broker.subscribe(channel, seen::add).block(WAIT);
		assertThat(registration).isNotNull();
		return seen;
	}

	@Test
	void shouldRegisterAndPublishValidatedEventsInOrderOnTheWorkspaceChannel() {
		List<Publication> seen = watch("workspace:a1");
		try (WsTestClient agent = agent(TestTokens.agent("agent-1", "a1"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"a1\",\"version\":\"1.0.0\"}}");
			JsonNode registered = agent.awaitType("registered");
			assertThat(registered.get("data").get("sessionId").asString()).isNotBlank();
			assertThat(registered.get("data").get("heartbeatIntervalMs").asLong()).isEqualTo(10_000);
			assertThat(agent.awaitType("agent:update").get("data").get("requiredVersion").asString())
				.isEqualTo("1.2.0");
			agent.send("{\"type\":\"tab:started\",\"data\":{\"tabId\":\"t1\",\"command\":\"bash\"}}");
			for (int i = 0; i < 50; i++) {
				agent.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"t1\",\"data\":\"line " + i + "\\n\"}}");
			}
			agent.send("{\"type\":\"tab:stopped\",\"data\":{\"tabId\":\"t1\",\"exitCode\":0}}");
			await().atMost(WAIT).until(() -> seen.stream().anyMatch((p) -> p.event().type().equals("tab:stopped")));
		}
		List<String> types = seen.stream().map((p) -> p.event().type()).distinct().toList();
		assertThat(types).containsExactly("workspace:state", "tab:started", "tab:output", "tab:stopped");
		StringBuilder output = new StringBuilder();
		seen.stream()
			.filter((p) -> p.event().type().equals("tab:output"))
			.forEach((p) -> output.append(p.event().data().get("data").asString()));
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 50; i++) {
			expected.append("line ").append(i).append('\n');
		}
		assertThat(output.toString()).isEqualTo(expected.toString());
		assertThat(seen.stream().filter((p) -> p.event().type().equals("tab:output")).count())
			.as("small chunks are coalesced")
			.isLessThan(50);
		for (int i = 1; i < seen.size(); i++) {
			assertThat(seen.get(i).offset()).isEqualTo(seen.get(i - 1).offset() + 1);
		}
		JsonNode connected = seen.get(0).event().data();
		assertThat(connected.get("agentConnected").asBoolean()).isTrue();
		assertThat(connected.get("agentVersion").asString()).isEqualTo("1.0.0");
		await().atMost(WAIT).until(() -> seen.get(seen.size() - 1).event().type().equals("workspace:state"));
		assertThat(seen.get(seen.size() - 1).event().data().get("status").asString()).isEqualTo("disconnected");
	}

	@Test
	void shouldRefuseAnAgentRegisteringForAnotherWorkspaceWith4003() {
		try (WsTestClient agent = agent(TestTokens.agent("agent-2", "a1"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"a2\",\"version\":\"1.0.0\"}}");
			assertThat(agent.awaitType("error").get("data").get("code").asString()).isEqualTo("forbidden");
			assertThat(agent.awaitClose(WAIT)).isEqualTo(4003);
		}
	}

	@Test
	void shouldRefuseNonAgentAndForgedTokensWith4001() {
		for (String token : new String[] { TestTokens.user("u", "a1"), "garbage" }) {
			try (WsTestClient agent = agent(token)) {
				assertThat(agent.awaitType("error").get("data").get("error").asString()).isNotBlank();
				assertThat(agent.awaitClose(WAIT)).isEqualTo(4001);
			}
		}
	}

	@Test
	void shouldAnswerInvalidEventsWithAnErrorAndKeepTheSession() {
		List<Publication> seen = watch("workspace:a3");
		try (WsTestClient agent = agent(TestTokens.agent("agent-3", "a3"))) {
			agent.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"t\",\"data\":\"x\"}}");
			assertThat(agent.awaitType("error").get("data").get("error").asString()).contains("register first");
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"a3\"}}");
			agent.awaitType("registered");
			agent.send("{\"type\":\"startup:progress\",\"data\":{\"step\":\"clone\",\"percent\":150}}");
			assertThat(agent.awaitType("error").get("data").get("error").asString())
				.isEqualTo("startup:progress: percent must be between 0 and 100 but was 150");
			agent.send("{\"type\":\"self-destruct\",\"data\":{}}");
			assertThat(agent.awaitType("error").get("data").get("error").asString()).contains("unknown message type");
			agent.send("{\"type\":\"startup:progress\",\"data\":{\"step\":\"clone\",\"percent\":50}}");
			await().atMost(WAIT)
				.until(() -> seen.stream().anyMatch((p) -> p.event().type().equals("startup:progress")));
			assertThat(agent.isClosed()).isFalse();
		}
	}

}
