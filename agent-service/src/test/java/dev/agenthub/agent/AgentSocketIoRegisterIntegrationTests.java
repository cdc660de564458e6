package dev.agenthub.agent;

import java.time.Duration;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Socket.IO agent whose {@code register} is refused learns it from the register's ack
 * (as a refused request of a browser does), not from an ack saying {@code ok}: an agent
 * that awaits {@code emitWithAck("register")} reads the refusal there.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AgentSocketIoRegisterIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		HubTestProperties.postgres(PostgresFixture.newDatabase())
			.forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Test
	void shouldAnswerARegisterForAnotherWorkspaceWithTheRefusalInItsAck() {
		try (SocketIoTestClient agent = SocketIoTestClient.connect("ws://localhost:" + this.port, "/agent",
				HubJson.object().put("token", TestTokens.agent("agent-reg-a", "reg-a")), 65536)) {
			assertThat(agent.connectReply().path("type").asString()).isEqualTo("connect");
			int register = agent.emitWithAck("register",
					HubJson.object().put("workspaceId", "reg-b").put("version", "1.0.0"));
			JsonNode reply = agent.awaitAck(register, WAIT);
			assertThat(reply.path("code").asString()).as("ack %s", reply).isEqualTo("forbidden");
			assertThat(reply.path("error").asString()).contains("reg-a");
		}
	}

}
