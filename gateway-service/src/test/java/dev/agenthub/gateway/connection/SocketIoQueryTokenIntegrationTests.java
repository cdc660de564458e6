package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Socket.IO client may pass its token in the handshake's query (socket.io-client's
 * {@code query: {token}}) instead of the CONNECT's {@code auth}. The session checks it
 * once and keeps only the principal (heap: {@code HandshakeRetentionIntegrationTests}): a
 * later CONNECT on the same session is answered from that check — accepted while the
 * principal lasts, refused once it expired, refused again for a forged token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SocketIoQueryTokenIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	private static final Map<String, Object> NO_AUTH = Map.of("subscribe", false);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	private SocketIoTestClient connect(String token) {
		return SocketIoTestClient.connect("ws://127.0.0.1:" + this.port, "token=" + token, "/", NO_AUTH, 65536);
	}

	@Test
	void aQueryTokenConnectsAndConnectsAgainOnTheSameSession() {
		try (SocketIoTestClient client = connect(TestTokens.user("query-alice", "qt"))) {
			assertThat(client.connectReply().path("type").asString()).isEqualTo("connect");
			client.reconnect(NO_AUTH);
			assertThat(nextConnectAnswer(client).path("type").asString()).isEqualTo("connect");
		}
	}

	@Test
	void aForgedQueryTokenIsRefusedAtEveryConnect() {
		String forged = TestTokens.sign("another-secret-0123456789-0123456789-012345", "query-mallory", List.of("user"),
				List.of("qt"), null, Duration.ofHours(1));
		try (SocketIoTestClient client = connect(forged)) {
			JsonNode first = client.connectReply();
			assertThat(first.path("type").asString()).isEqualTo("connect_error");
			client.sendRaw("40" + "{\"subscribe\":false}");
			JsonNode second = nextConnectAnswer(client);
			assertThat(second.path("type").asString()).isEqualTo("connect_error");
			assertThat(second.path("data").path("message").asString())
				.isEqualTo(first.path("data").path("message").asString());
		}
	}

	@Test
	void aConnectAfterTheQueryTokenExpiredIsRefused() throws InterruptedException {
		String shortLived = TestTokens.sign(TestTokens.SECRET, "query-bob", List.of("user"), List.of("qt"), null,
				Duration.ofSeconds(2));
		try (SocketIoTestClient client = connect(shortLived)) {
			assertThat(client.connectReply().path("type").asString()).isEqualTo("connect");
			Thread.sleep(2_500);
			client.reconnect(NO_AUTH);
			JsonNode answer = nextConnectAnswer(client);
			assertThat(answer.path("type").asString()).isEqualTo("connect_error");
			assertThat(answer.path("data").path("data").path("error").asString()).contains("expired");
		}
	}

	/** The next connect or connect_error (events and disconnects before it skipped). */
	private static JsonNode nextConnectAnswer(SocketIoTestClient client) {
		while (true) {
			JsonNode packet = client.next(WAIT);
			assertThat(packet).as("the session is still open").isNotNull();
			String type = packet.path("type").asString();
			if (type.equals("connect") || type.equals("connect_error")) {
				return packet;
			}
		}
	}

}
