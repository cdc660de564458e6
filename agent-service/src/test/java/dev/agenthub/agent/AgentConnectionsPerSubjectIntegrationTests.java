package dev.agenthub.agent;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack: one agent token opening connections until the node holds no more for the
 * other workspaces' sidecars. An agent id may hold
 * {@code hub.agent.connections-per-subject} connections on a node (raw and Socket.IO
 * together); the next is refused with {@code rate_limited} and close 4008, or a
 * {@code connect_error}, and other agents connect as before.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.agent.connections-per-subject=2")
class AgentConnectionsPerSubjectIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		HubTestProperties.postgres(PostgresFixture.newDatabase())
			.forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	WsTestClient agent(String token) {
		return WsTestClient.connect("ws://localhost:" + this.port + "/agent/ws?token=" + token);
	}

	SocketIoTestClient socketIo(String token) {
		return SocketIoTestClient.connect("ws://localhost:" + this.port, "/agent", Map.of("token", token), 65536);
	}

	@Test
	void shouldRefuseAnAgentsConnectionsBeyondItsShareAndNoOtherAgents() {
		String token = TestTokens.agent("cap-agent", "cap-a");
		try (WsTestClient sidecar = agent(token); SocketIoTestClient second = socketIo(token)) {
			sidecar.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"cap-a\"}}");
			sidecar.awaitType("registered");
			assertThat(second.connectReply().path("type").asString()).isEqualTo("connect");

			try (WsTestClient third = agent(token)) {
				JsonNode error = third.awaitType("error");
				assertThat(error.path("data").path("code").asString()).isEqualTo("rate_limited");
				assertThat(error.path("data").path("error").asString()).contains("cap-agent has 2 connections");
				assertThat(third.awaitClose(WAIT)).isEqualTo(4008);
			}
			try (SocketIoTestClient third = socketIo(token)) {
				JsonNode reply = third.connectReply();
				assertThat(reply.path("type").asString()).isEqualTo("connect_error");
				assertThat(reply.path("data").path("data").path("code").asString()).isEqualTo("rate_limited");
				assertThat(reply.path("data").path("data").path("retryAfter").asInt()).isBetween(1, 3);
			}

			// another workspace's sidecar is not affected; the first is still served
			try (WsTestClient other = agent(TestTokens.agent("cap-other", "cap-b"))) {
				other.send("{\"type\":\"register\",\"data\":{\"workspaceId\":\"cap-b\"}}");
				assertThat(other.awaitType("registered")).isNotNull();
			}
			assertThat(sidecar.isClosed()).isFalse();
		}
	}

}
