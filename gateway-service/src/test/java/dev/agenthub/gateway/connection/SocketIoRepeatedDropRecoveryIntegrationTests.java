package dev.agenthub.gateway.connection;

import java.time.Duration;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
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

/**
 * A Socket.IO client whose transport drops again right after it recovered, before any new
 * event reached it: it resumes with the same last offset as before, which its recovered
 * socket must still know, so it recovers again and gets what it missed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SocketIoRepeatedDropRecoveryIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Test
	void shouldRecoverASecondDropThatCameBeforeAnyNewEvent() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		String token = TestTokens.user("drop-a", "da");
		String pid;
		String offset;
		try (SocketIoTestClient first = SocketIoTestClient.connect(base, "/", HubJson.object().put("token", token),
				65536)) {
			pid = first.connectReply().path("data").path("pid").asString();
			awaitEvent(first, "subscribed");
			this.broker.publish("workspace:da", "notification", HubJson.object().put("title", "first")).block(WAIT);
			offset = lastArgument(awaitEvent(first, "notification"));
		}
		// (saved as the gateway sees the socket end)
		Thread.sleep(500);
		try (SocketIoTestClient second = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 65536)) {
			assertThat(second.connectReply().path("data").path("pid").asString()).as("recovered").isEqualTo(pid);
			awaitEvent(second, "subscribed");
		}
		Thread.sleep(500);
		this.broker.publish("workspace:da", "notification", HubJson.object().put("title", "missed")).block(WAIT);
		try (SocketIoTestClient third = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 65536)) {
			assertThat(third.connectReply().path("data").path("pid").asString()).as("recovered again").isEqualTo(pid);
			JsonNode missed = awaitEvent(third, "notification");
			assertThat(missed.path("data").path("title").asString()).isEqualTo("missed");
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
