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
 * A recovered Socket.IO socket that the server closes (drain) while its replay still
 * waits for the client: the events not replayed were never sent, so a client that resumes
 * once more must not be told it recovered without them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.max-outbound-bytes=65536", "hub.broker.history-size=2000",
				"hub.broker.history-bytes=64MB" })
@DirtiesContext
class SocketIoCloseDuringReplayIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	/** Events missed: 4.5 MB, beyond what socket buffers take. */
	static final int MISSED = 500;

	static final String PAYLOAD = "x".repeat(9000);

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
	void shouldNotCountEventsAReplayNeverSentAsRecovered() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		String token = TestTokens.user("replay-a", "rpa");
		String pid;
		String offset;
		try (SocketIoTestClient first = SocketIoTestClient.connect(base, "/", HubJson.object().put("token", token),
				65536)) {
			pid = first.connectReply().path("data").path("pid").asString();
			awaitEvent(first, "subscribed");
			this.broker.publish("workspace:rpa", "notification", HubJson.object().put("title", "first")).block(WAIT);
			offset = lastArgument(awaitEvent(first, "notification"));
		}
		Thread.sleep(500);
		for (int i = 0; i < MISSED; i++) {
			this.broker.publish("workspace:rpa", "notification", HubJson.object().put("title", PAYLOAD)).block(WAIT);
		}
		// resumes, reads nothing: its replay waits for room
		try (SocketIoTestClient stalled = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 4096)) {
			await().atMost(WAIT)
				.until(() -> this.core.connections()
					.stream()
					.anyMatch((connection) -> connection.transport().queuedBytes() > 0));
			Connection replaying = this.core.connections().iterator().next();
			replaying.close(CloseCode.GOING_AWAY, "test");
			// (it reads what was queued, so the engine can end its session)
			stalled.awaitClose(WAIT);
			await().atMost(WAIT).until(() -> this.core.connections().isEmpty());
		}
		Thread.sleep(500);
		long first = Long.parseLong(offset.substring(offset.lastIndexOf('@') + 1)) + 1;
		try (SocketIoTestClient resumed = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 65536)) {
			JsonNode reply = resumed.connectReply();
			if (pid.equals(reply.path("data").path("pid").asString())) {
				// recovered: then from the first event the client missed, no gap
				JsonNode next = awaitEvent(resumed, "notification");
				assertThat(lastArgument(next)).isEqualTo("workspace:rpa@" + first);
			}
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
