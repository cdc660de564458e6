package dev.agenthub.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.SocketIoTestClient;
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

/**
 * An agent faster than its budget (a small one here: 32 KB/s) is slowed, not closed: the
 * hub stops reading its socket, and everything it sent is published, in order. The same
 * over Socket.IO (seed 000's agents), where each event costs its size on the wire.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.agent.throughput=32KB", "hub.agent.throughput-burst=32KB" })
class AgentFlowControlIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final int CHUNKS = 300;

	static final int BUDGET = 32 * 1024;

	/** Chunks of 1 KB: four times what a flat cost of 256 bytes an event would count. */
	static final String PADDING = "x".repeat(1000);

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

	@Test
	void shouldSlowAFastAgentInsteadOfClosingIt() {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable watching = this.broker.subscribe("workspace:flow", seen::add).block(WAIT);
		try (WsTestClient agent = WsTestClient
			.connect("ws://localhost:" + this.port + "/agent/ws?token=" + TestTokens.agent("agent-flow", "flow"))) {
			agent.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"flow\",\"version\":\"1.0.0\"}}");
			agent.awaitType("registered");
			long start = System.nanoTime();
			for (int i = 0; i < CHUNKS; i++) {
				agent.send(HubJson.write(HubJson.object()
					.put("type", "tab:output")
					.set("data", HubJson.object().put("tabId", "t1").put("data", chunk(i)))));
			}
			assertSlowedAndComplete(seen, start);
			assertThat(agent.isClosed()).as("never closed for speed").isFalse();
			assertThat(agent.received()).noneMatch((m) -> "error".equals(m.path("type").asString()));
		}
		finally {
			watching.dispose();
		}
	}

	@Test
	void shouldSlowAFastSocketIoAgentByTheSizeOfItsEvents() {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable watching = this.broker.subscribe("workspace:flowsio", seen::add).block(WAIT);
		try (SocketIoTestClient agent = SocketIoTestClient.connect("ws://localhost:" + this.port, "/agent",
				HubJson.object().put("token", TestTokens.agent("agent-flowsio", "flowsio")), 65536)) {
			assertThat(agent.connectReply().path("type").asString()).isEqualTo("connect");
			int ack = agent.emitWithAck("register",
					HubJson.object().put("workspaceId", "flowsio").put("version", "1.0.0"));
			assertThat(agent.next(WAIT).path("ack").asInt()).isEqualTo(ack);
			long start = System.nanoTime();
			for (int i = 0; i < CHUNKS; i++) {
				agent.emit("tab:output", HubJson.object().put("tabId", "t1").put("data", chunk(i)));
			}
			assertSlowedAndComplete(seen, start);
			agent.emitWithAck("heartbeat", HubJson.object());
			JsonNode reply = agent.next(WAIT);
			assertThat(reply).as("still connected, and told of no error").isNotNull();
			assertThat(reply.path("type").asString()).isEqualTo("ack");
		}
		finally {
			watching.dispose();
		}
	}

	/** About 300 KB in all as fast as the client can write: nine times the budget. */
	private static String chunk(int i) {
		return i + ":" + PADDING + "\n";
	}

	/**
	 * Every chunk published, in order, and not sooner than the budget allows: what is
	 * over the burst at 32 KB/s (a lower bound, which a slow machine cannot break).
	 */
	private static void assertSlowedAndComplete(List<Publication> seen, long start) {
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < CHUNKS; i++) {
			expected.append(chunk(i));
		}
		await().atMost(WAIT).until(() -> output(seen).length() >= expected.length());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(output(seen)).isEqualTo(expected.toString());
		long overBurst = (long) expected.length() - BUDGET;
		assertThat(took).as("slowed to the budget").isGreaterThan(Duration.ofMillis(overBurst * 1000 / BUDGET / 2));
	}

	/** The text of the {@code tab:output} events seen, in order. */
	static String output(List<Publication> seen) {
		StringBuilder output = new StringBuilder();
		seen.stream()
			.filter((p) -> p.event().type().equals("tab:output"))
			.forEach((p) -> output.append(p.event().data().get("data").asString()));
		return output.toString();
	}

}
