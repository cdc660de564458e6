package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
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
 * The attack: one user's token opening connection after connection until the node holds
 * no more for anyone (and every presence change of that user fans out to all of them). A
 * subject may hold {@code hub.gateway.connections-per-subject} connections on a node, raw
 * and Socket.IO together; the next is refused in the protocol ({@code rate_limited},
 * close 4008; a Socket.IO {@code connect_error} with {@code retryAfter}) while other
 * users connect as before, and a place comes back when one of its connections ends.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.gateway.connections-per-subject=3")
@DirtiesContext
class ConnectionsPerSubjectIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Test
	void shouldRefuseASubjectsConnectionsBeyondItsShareAndNoOneElses() throws Exception {
		String alice = TestTokens.user("cap-alice", "cap-w");
		List<AutoCloseable> open = new ArrayList<>();
		try {
			WsTestClient first = WsTestClient.authenticated(raw(alice));
			open.add(first);
			open.add(WsTestClient.authenticated(raw(alice)));
			SocketIoTestClient socket = socketIo(alice);
			open.add(socket);
			assertThat(socket.connectReply().path("type").asString()).isEqualTo("connect");

			// the fourth, raw with the token in the URL or in an auth message, and
			// Socket.IO
			assertRefused(WsTestClient.connect(raw(alice)));
			WsTestClient byMessage = WsTestClient.connect("ws://127.0.0.1:" + this.port + "/ws?subscribe=none");
			byMessage.send("{\"type\":\"auth\",\"id\":1,\"data\":{\"token\":\"" + alice + "\"}}");
			assertRefused(byMessage);
			try (SocketIoTestClient refused = socketIo(alice)) {
				JsonNode reply = refused.connectReply();
				assertThat(reply.path("type").asString()).isEqualTo("connect_error");
				assertThat(reply.path("data").path("data").path("code").asString()).isEqualTo("rate_limited");
				assertThat(reply.path("data").path("data").path("error").asString())
					.contains("cap-alice has 3 connections");
				assertThat(reply.path("data").path("data").path("retryAfter").asInt()).isBetween(1, 3);
			}

			// another user is not affected
			try (WsTestClient bob = WsTestClient.authenticated(raw(TestTokens.user("cap-bob", "cap-w")));
					SocketIoTestClient bobSocket = socketIo(TestTokens.user("cap-bob", "cap-w"))) {
				assertThat(bobSocket.connectReply().path("type").asString()).isEqualTo("connect");
				bob.send("{\"type\":\"ping\",\"id\":2}");
				assertThat(bob.await((m) -> m.path("id").asInt() == 2, WAIT).path("type").asString()).isEqualTo("pong");
			}

			// alice's connections are served as before
			first.send("{\"type\":\"ping\",\"id\":3}");
			assertThat(first.await((m) -> m.path("id").asInt() == 3, WAIT).path("type").asString()).isEqualTo("pong");

			// a place comes back when one ends: the Socket.IO one, then a raw one
			for (AutoCloseable leaving : List.of(open.remove(2), open.remove(0))) {
				leaving.close();
				await().atMost(WAIT).until(() -> {
					WsTestClient again = WsTestClient.connect(raw(alice));
					JsonNode auth = again.awaitType("auth");
					if (auth.path("data").path("success").asBoolean(false)) {
						open.add(again);
						return true;
					}
					again.close();
					return false;
				});
				assertRefused(WsTestClient.connect(raw(alice)));
			}
		}
		finally {
			open.forEach(ConnectionsPerSubjectIntegrationTests::closeQuietly);
		}
	}

	private void assertRefused(WsTestClient client) {
		try (client) {
			JsonNode auth = client.awaitType("auth");
			assertThat(auth.path("data").path("success").asBoolean(true)).as(auth.toString()).isFalse();
			assertThat(auth.path("data").path("code").asString()).isEqualTo("rate_limited");
			assertThat(auth.path("data").path("error").asString()).contains("cap-alice has 3 connections");
			assertThat(client.awaitClose(WAIT)).isEqualTo(4008);
		}
	}

	private String raw(String token) {
		return "ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=" + token;
	}

	private SocketIoTestClient socketIo(String token) {
		return SocketIoTestClient.connect("ws://127.0.0.1:" + this.port, "/", Map.of("token", token), 65536);
	}

	private static void closeQuietly(AutoCloseable client) {
		try {
			client.close();
		}
		catch (Exception ex) {
			// closing
		}
	}

}
