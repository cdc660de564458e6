package dev.agenthub.socketio;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.socketio.TestClients.Http;
import dev.agenthub.socketio.TestClients.Response;
import dev.agenthub.socketio.TestClients.Ws;
import dev.agenthub.socketio.conformance.ConformanceServer;
import dev.agenthub.socketio.parser.SioJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks of the official Socket.IO v5 test suite (ported) and the protocol rules on
 * bad input, against the conformance server's {@code /socket.io/} endpoint.
 */
@Timeout(30)
class SocketIoProtocolIntegrationTests {

	private static ConformanceServer server;

	@BeforeAll
	static void start() {
		// a long heartbeat, so that a close seen here is the protocol's, not a ping
		// timeout
		server = ConformanceServer.start(0, ConformanceServer.CONFIG.withHeartbeat(java.time.Duration.ofSeconds(30),
				java.time.Duration.ofSeconds(30)));
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	private static Ws open() {
		return Ws.opened(server.port());
	}

	private static Ws connected() {
		Ws ws = Ws.connectedToMain(server.port());
		assertThat(ws.nextNonPing()).isEqualTo("42[\"auth\",{}]");
		return ws;
	}

	@Test
	void shouldConnectToMainNamespace() {
		try (Ws ws = open()) {
			ws.send("40");
			String reply = ws.nextNonPing();
			assertThat(reply).startsWith("40");
			JsonNode handshake = SioJson.parse(reply.substring(2));
			assertThat(handshake.propertyNames()).containsExactly("sid");
			assertThat(handshake.get("sid").isString()).isTrue();
			assertThat(ws.nextNonPing()).isEqualTo("42[\"auth\",{}]");
		}
	}

	@Test
	void shouldPassConnectPayloadToHandler() {
		try (Ws ws = open()) {
			ws.send("40{\"token\":\"123\"}");
			assertThat(ws.nextNonPing()).startsWith("40{\"sid\":");
			assertThat(ws.nextNonPing()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
		}
	}

	@Test
	void shouldConnectToCustomNamespace() {
		try (Ws ws = open()) {
			ws.send("40/custom,{\"token\":\"abc\"}");
			String reply = ws.nextNonPing();
			assertThat(reply).startsWith("40/custom,");
			assertThat(SioJson.parse(reply.substring(10)).propertyNames()).containsExactly("sid");
			assertThat(ws.nextNonPing()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
		}
	}

	@Test
	void shouldRefuseUnknownNamespace() {
		try (Ws ws = open()) {
			ws.send("40/random");
			assertThat(ws.nextNonPing()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
		}
	}

	@Test
	void shouldCloseOnInvalidHandshake() {
		try (Ws ws = open()) {
			ws.send("4abc");
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldDisconnectFromOneNamespaceAndKeepTheOther() {
		try (Ws ws = connected()) {
			ws.send("40/custom,");
			assertThat(ws.nextNonPing()).startsWith("40/custom,");
			assertThat(ws.nextNonPing()).isEqualTo("42/custom,[\"auth\",{}]");
			ws.send("41/custom,");
			ws.send("42[\"message\",\"message to main namespace\"]");
			assertThat(ws.nextNonPing()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
			// the custom namespace is gone: a packet for it breaks the protocol
			ws.send("42/custom,[\"message\"]");
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldEchoPlainEvent() {
		try (Ws ws = connected()) {
			ws.send("42[\"message\",1,\"2\",{\"3\":[true]}]");
			assertThat(ws.nextNonPing()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
		}
	}

	@Test
	void shouldEchoBinaryEvent() {
		try (Ws ws = connected()) {
			ws.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
			ws.sendBinary(new byte[] { 1, 2, 3 });
			ws.sendBinary(new byte[] { 4, 5, 6 });
			assertThat(ws.nextNonPing()).isEqualTo(
					"452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
			assertThat(ws.nextBinary()).containsExactly(1, 2, 3);
			assertThat(ws.nextBinary()).containsExactly(4, 5, 6);
		}
	}

	@Test
	void shouldAcknowledgeEvent() {
		try (Ws ws = connected()) {
			ws.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
			assertThat(ws.nextNonPing()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
		}
	}

	@Test
	void shouldAcknowledgeBinaryEventWithBinaryAck() {
		try (Ws ws = connected()) {
			ws.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
			ws.sendBinary(new byte[] { 1, 2, 3 });
			ws.sendBinary(new byte[] { 4, 5, 6 });
			assertThat(ws.nextNonPing())
				.isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
			assertThat(ws.nextBinary()).containsExactly(1, 2, 3);
			assertThat(ws.nextBinary()).containsExactly(4, 5, 6);
		}
	}

	@Test
	void shouldCloseOnMalformedPackets() {
		for (String bad : new String[] { "4abc", "42{}", "42abc[\"message-with-ack\",1]", "42[]", "42[\"disconnect\"]",
				"42[\"connect\",1]", "42[\"newListener\"]", "43[1]", "44{\"message\":\"x\"}", "452-[\"message\"]x",
				"45x-[\"message\"]", "41{}" }) {
			try (Ws ws = connected()) {
				ws.send(bad);
				assertThat(ws.awaitClose(TestClients.TIMEOUT)).as(bad).isTrue();
			}
		}
	}

	@Test
	void shouldCloseASocketThatFloodsAcknowledgementsNobodyAwaits() {
		try (Ws ws = connected()) {
			for (int i = 0; i < 500; i++) {
				ws.send("43" + i + "[\"unasked\"]");
			}
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldCloseASessionThatRetriesARefusedConnectInALoop() {
		try (Ws ws = open()) {
			int refused = 0;
			try {
				for (int i = 0; i < 500; i++) {
					ws.send("40/random,");
					assertThat(ws.nextNonPing()).startsWith("44/random,");
					refused++;
				}
			}
			catch (AssertionError closed) {
				// the session was closed: the loop ends here
			}
			// a client may retry (with back-off); a loop is cut off after its burst
			assertThat(refused).isBetween(10, 100);
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldCloseOnPacketBeforeConnect() {
		try (Ws ws = open()) {
			ws.send("42[\"message\",1]");
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldCloseOnDuplicateConnect() {
		try (Ws ws = connected()) {
			ws.send("40");
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldCloseOnStrayAttachment() {
		try (Ws ws = connected()) {
			ws.sendBinary(new byte[] { 1 });
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
	}

	@Test
	void shouldCloseWhenNoNamespaceConnectsInTime() {
		String sid = new Http(server.port(), "/socket.io/").open();
		Http http = new Http(server.port(), "/socket.io/");
		String query = "EIO=4&transport=polling&sid=" + sid;
		assertThat(http.get(query)).isEqualTo(new Response(200, "1"));
		assertThat(http.get(query).status()).isEqualTo(400);
	}

	@Test
	void shouldSpeakSocketIoOverPolling() {
		Http http = new Http(server.port(), "/socket.io/");
		String sid = http.open();
		String query = "EIO=4&transport=polling&sid=" + sid;
		assertThat(http.post(query, "40{\"token\":\"p\"}").body()).isEqualTo("ok");
		List<String> packets = new ArrayList<>();
		// the harness emits auth just after the reply (ConformanceNamespaceHandler), so
		// it
		// may come in the next poll
		while (packets.size() < 2) {
			packets.addAll(List.of(http.get(query).body().split("\u001e")));
		}
		assertThat(packets.get(0)).startsWith("40{\"sid\":");
		assertThat(packets.get(1)).isEqualTo("42[\"auth\",{\"token\":\"p\"}]");
		assertThat(http.post(query, "451-[\"message\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID").body())
			.isEqualTo("ok");
		assertThat(http.get(query).body())
			.isEqualTo("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID");
	}

}
