package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.RawSocketClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline over a raw WebSocket at {@code /ws} (hub dialect). */
class RawWebSocketPipelineTests extends ConnectionPipelineContractTests {

	@Override
	TestClient connect(String token, int receiveBuffer) {
		RawClient client = new RawClient(
				RawSocketClient.connect("ws://127.0.0.1:" + this.port + "/ws?token=" + token, Map.of(), receiveBuffer));
		JsonNode auth = client.next(WAIT);
		assertThat(auth.path("data").path("success").asBoolean()).as("auth reply %s", auth).isTrue();
		return client;
	}

	@Override
	int closeSeenFor(int code) {
		return code;
	}

	@Override
	void connectAndDrop(String token) {
		RawSocketClient.connect("ws://127.0.0.1:" + this.port + "/ws?token=" + token, Map.of(), 65536).close();
	}

	/**
	 * Past the transport's own bound (1 MiB, where frames stop being read into memory) a
	 * message is refused as one under it is: an {@code error}, then 1009 — in one frame
	 * or in fragments. Nothing of it is buffered past the bound.
	 */
	@Test
	void shouldAnswerAMessageOverTheTransportsBoundWithAnErrorThen1009() {
		String huge = "{\"type\":\"ping\",\"data\":{\"pad\":\"" + "z".repeat(1536 * 1024) + "\"}}";
		try (RawClient whole = (RawClient) connect(TestTokens.user("pipe-raw-c", "prc"))) {
			sendAside(() -> whole.socket.sendText(huge));
			JsonNode error = whole.awaitError(WAIT);
			assertThat(error.path("code").asString()).isEqualTo("too_large");
			assertThat(whole.awaitClose(WAIT)).isEqualTo(1009);
		}
		try (RawClient fragmented = (RawClient) connect(TestTokens.user("pipe-raw-d", "prd"))) {
			sendAside(() -> fragmented.socket.sendTextInFragments(huge, 256 * 1024));
			assertThat(fragmented.awaitError(WAIT).path("code").asString()).isEqualTo("too_large");
			assertThat(fragmented.awaitClose(WAIT)).isEqualTo(1009);
		}
	}

	/** A frame that breaks the protocol (a reserved opcode): an error, then 1002. */
	@Test
	void shouldAnswerAFrameThatBreaksTheProtocolWithAnErrorThen1002() {
		try (RawClient client = (RawClient) connect(TestTokens.user("pipe-raw-e", "pre"))) {
			client.socket.sendFrame(0x3, "?".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertThat(client.awaitError(WAIT).path("code").asString()).isEqualTo("bad_request");
			assertThat(client.awaitClose(WAIT)).isEqualTo(1002);
		}
	}

	/** Writes on another thread: the server may close before it read all of it. */
	private static void sendAside(Runnable send) {
		Thread.ofVirtual().start(() -> {
			try {
				send.run();
			}
			catch (IllegalStateException ex) {
				// the server closed while the rest was on its way
			}
		});
	}

	@Test
	void shouldAnswerMalformedJsonAndKeepTheConnection() {
		try (RawClient client = (RawClient) connect(TestTokens.user("pipe-raw-b", "prb"))) {
			client.socket.sendText("{not json");
			assertThat(client.awaitError(WAIT).path("code").asString()).isEqualTo("bad_request");
			client.send("ping", HubJson.object(), 9);
			assertThat(client.awaitReply(9, WAIT)).isNotNull();
		}
	}

	@Test
	void shouldCloseAClientThatNeverAuthenticatesWith4001() {
		try (RawSocketClient socket = RawSocketClient.connect("ws://127.0.0.1:" + this.port + "/ws", Map.of(), 65536)) {
			socket.sendText("{\"type\":\"auth\",\"data\":{\"token\":\"forged\"}}");
			String refusal = socket.nextText(WAIT);
			assertThat(HubJson.parse(refusal).path("data").path("success").asBoolean(true)).isFalse();
			assertThat(socket.awaitClose(WAIT)).isEqualTo(4001);
		}
	}

	static final class RawClient implements TestClient {

		final RawSocketClient socket;

		RawClient(RawSocketClient socket) {
			this.socket = socket;
		}

		JsonNode next(Duration timeout) {
			String text = this.socket.nextText(timeout);
			if (text == null) {
				throw new AssertionError("closed with " + this.socket.closeCode());
			}
			return HubJson.parse(text);
		}

		private JsonNode await(java.util.function.Predicate<JsonNode> match, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				JsonNode message = next(Duration.ofNanos(deadline - System.nanoTime()));
				if (match.test(message)) {
					return message;
				}
			}
			throw new AssertionError("nothing matching within " + timeout);
		}

		@Override
		public void send(String type, JsonNode data, Integer id) {
			ObjectNode message = HubJson.object().put("type", type);
			if (id != null) {
				message.put("id", id);
			}
			message.set("data", data);
			this.socket.sendText(HubJson.write(message));
		}

		@Override
		public JsonNode awaitReply(int id, Duration timeout) {
			return await((m) -> m.path("id").asInt(-1) == id, timeout).path("data");
		}

		@Override
		public int nextReplyId(Duration timeout) {
			return await((m) -> m.hasNonNull("id"), timeout).path("id").asInt();
		}

		@Override
		public JsonNode awaitError(Duration timeout) {
			return await((m) -> "error".equals(m.path("type").asString()), timeout).path("data");
		}

		@Override
		public JsonNode awaitEvent(String type, Duration timeout) {
			return await((m) -> type.equals(m.path("type").asString()) && m.has("offset"), timeout);
		}

		@Override
		public int awaitClose(Duration timeout) {
			return this.socket.awaitClose(timeout);
		}

		@Override
		public void close() {
			this.socket.close();
		}

	}

}
