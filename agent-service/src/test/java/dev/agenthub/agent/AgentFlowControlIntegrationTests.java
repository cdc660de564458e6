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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent faster than its budget (a small one here: 32 KB/s) is slowed, not closed: the
 * hub stops reading its socket, and everything it sent is published, in order.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.agent.throughput=32KB", "hub.agent.throughput-burst=32KB" })
class AgentFlowControlIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final int CHUNKS = 1500;

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
			String padding = "x".repeat(80);
			// About 190 KB as fast as the client can write: six times the budget.
			for (int i = 0; i < CHUNKS; i++) {
				agent.send("{\"type\":\"tab:output\",\"data\":{\"tabId\":\"t1\",\"data\":\"" + i + ":" + padding
						+ "\\n\"}}");
			}
			StringBuilder expected = new StringBuilder();
			for (int i = 0; i < CHUNKS; i++) {
				expected.append(i).append(':').append(padding).append('\n');
			}
			await().atMost(WAIT).until(() -> output(seen).length() >= expected.length());
			assertThat(output(seen)).isEqualTo(expected.toString());
			assertThat(agent.isClosed()).as("never closed for speed").isFalse();
			assertThat(agent.received()).noneMatch((m) -> "error".equals(m.path("type").asString()));
		}
		finally {
			watching.dispose();
		}
	}

	private static String output(List<Publication> seen) {
		StringBuilder output = new StringBuilder();
		seen.stream()
			.filter((p) -> p.event().type().equals("tab:output"))
			.forEach((p) -> output.append(p.event().data().get("data").asString()));
		return output.toString();
	}

}
