package dev.agenthub.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
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
 * A Socket.IO agent (seed 000's) that writes faster than the hub publishes, within its
 * byte budget: the engine stops reading it while its events wait (as a raw socket is not
 * read while its frame is handled), so it is never closed for speed and its watchers lose
 * nothing. Before, the engine read on while the events waited, and the agent was closed
 * 4008 once 256 waited (here: behind its register).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AgentSocketIoFloodIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(60);

	static final int CHUNKS = 20_000;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		HubTestProperties.postgres(PostgresFixture.newDatabase())
			.forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Test
	void shouldReadAFastSocketIoAgentAsFastAsItIsHandledAndLoseNothing() {
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable watching = this.broker.subscribe("workspace:flood", seen::add).block(WAIT);
		try (SocketIoTestClient agent = SocketIoTestClient.connect("ws://localhost:" + this.port, "/agent",
				HubJson.object().put("token", TestTokens.agent("agent-flood", "flood")), 65536)) {
			assertThat(agent.connectReply().path("type").asString()).isEqualTo("connect");
			// the flood starts right behind the register, as a sidecar that streams at
			// once: it arrives while the register is still being handled
			agent.emitWithAck("register", HubJson.object().put("workspaceId", "flood").put("version", "1.0.0"));
			StringBuilder expected = new StringBuilder();
			for (int i = 0; i < CHUNKS; i++) {
				String line = i + ":" + "z".repeat(60) + "\n";
				expected.append(line);
				agent.emit("tab:output", HubJson.object().put("tabId", "t1").put("data", line));
			}
			await().atMost(WAIT)
				.until(() -> AgentFlowControlIntegrationTests.output(seen).length() >= expected.length());
			assertThat(AgentFlowControlIntegrationTests.output(seen)).isEqualTo(expected.toString());
			int heartbeat = agent.emitWithAck("heartbeat", HubJson.object());
			// everything it was sent up to the heartbeat's ack (the register's ack among
			// them), and no error
			JsonNode reply = agent.next(WAIT);
			while (reply != null && reply.path("ack").asInt(-1) != heartbeat) {
				assertThat(reply.path("type").asString()).as("no error: " + reply).isNotEqualTo("error");
				reply = agent.next(WAIT);
			}
			assertThat(reply).as("still connected").isNotNull();
		}
		finally {
			watching.dispose();
		}
	}

}
