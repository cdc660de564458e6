package dev.agenthub.gateway.connection;

import java.time.Duration;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Socket.IO socket the server closes with a code to reconnect after (drain, rate
 * limit): an event published while the close is under way never reaches the client, so
 * its resume record must not count it as sent — the client that resumes gets it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SocketIoServerCloseRecoveryIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Autowired
	ConnectionServer<GatewaySession> core;

	@Test
	void shouldReplayAnEventPublishedWhileTheServerClosedTheSocket() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		String token = TestTokens.user("close-a", "ca");
		String pid;
		String offset;
		try (SocketIoTestClient first = SocketIoTestClient.connect(base, "/", HubJson.object().put("token", token),
				65536)) {
			pid = first.connectReply().path("data").path("pid").asString();
			awaitEvent(first, "subscribed");
			this.broker.publish("workspace:ca", "notification", HubJson.object().put("title", "first")).block(WAIT);
			offset = lastArgument(awaitEvent(first, "notification"));
			await().atMost(WAIT).until(() -> this.core.connections().size() == 1);
			Connection connection = this.core.connections().iterator().next();
			connection.close(CloseCode.GOING_AWAY, "test");
			this.broker.publish("workspace:ca", "notification", HubJson.object().put("title", "during close"))
				.block(WAIT);
			first.awaitClose(WAIT);
		}
		// (saved as the gateway sees the socket end)
		Thread.sleep(500);
		try (SocketIoTestClient resumed = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 65536)) {
			assertThat(resumed.connectReply().path("data").path("pid").asString()).as("recovered").isEqualTo(pid);
			JsonNode missed = awaitEvent(resumed, "notification");
			assertThat(missed.path("data").path("title").asString()).isEqualTo("during close");
		}
	}

	private static JsonNode awaitEvent(SocketIoTestClient client, String type) {
		JsonNode packet = client.next(WAIT);
		while (packet != null && !type.equals(packet.path("type").asString())) {
			packet = client.next(WAIT);
		}
		assertThat(packet).as("a %s event", type).isNotNull();
		return packet;
	}

	private static String lastArgument(JsonNode event) {
		return event.path("args").get(event.path("args").size() - 1).asString();
	}

}
