package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.SocketIoTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline over a Socket.IO socket on namespace {@code /}: replies come through acks,
 * notices and events as Socket.IO events; a close ends the Engine.IO session.
 */
class SocketIoPipelineTests extends ConnectionPipelineContractTests {

	@Override
	TestClient connect(String token, int receiveBuffer) {
		SocketIoTestClient client = SocketIoTestClient.connect("ws://127.0.0.1:" + this.port, "/",
				HubJson.object().put("token", token), receiveBuffer);
		JsonNode reply = client.connectReply();
		assertThat(reply.path("type").asString()).as("CONNECT reply %s", reply).isEqualTo("connect");
		return new SioClient(client);
	}

	@Override
	void connectAndDrop(String token) {
		SocketIoTestClient.connect("ws://127.0.0.1:" + this.port, "/", HubJson.object().put("token", token), 65536)
			.close();
	}

	@Override
	int closeSeenFor(int code) {
		// The Engine.IO session ends and its WebSocket closes without a status (the
		// reason went as an error event before).
		return 1005;
	}

	static final class SioClient implements TestClient {

		private final SocketIoTestClient client;

		private final Map<Integer, Integer> ackToId = new HashMap<>();

		SioClient(SocketIoTestClient client) {
			this.client = client;
		}

		private JsonNode await(Predicate<JsonNode> match, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				JsonNode packet = this.client.next(Duration.ofNanos(deadline - System.nanoTime()));
				if (packet == null) {
					throw new AssertionError("closed");
				}
				if (match.test(packet)) {
					return packet;
				}
			}
			throw new AssertionError("nothing matching within " + timeout);
		}

		@Override
		public void send(String type, JsonNode data, Integer id) {
			if (id == null) {
				this.client.emit(type, data);
			}
			else {
				this.ackToId.put(this.client.emitWithAck(type, data), id);
			}
		}

		@Override
		public JsonNode awaitReply(int id, Duration timeout) {
			return await((p) -> "ack".equals(p.path("type").asString())
					&& Integer.valueOf(id).equals(this.ackToId.get(p.path("ack").asInt())), timeout)
				.path("data");
		}

		@Override
		public int nextReplyId(Duration timeout) {
			return this.ackToId.get(await((p) -> "ack".equals(p.path("type").asString()), timeout).path("ack").asInt());
		}

		@Override
		public JsonNode awaitError(Duration timeout) {
			return await((p) -> "error".equals(p.path("type").asString()), timeout).path("data");
		}

		@Override
		public JsonNode awaitEvent(String type, Duration timeout) {
			JsonNode packet = await((p) -> type.equals(p.path("type").asString()), timeout);
			String offset = packet.path("args").path(2).asString();
			return HubJson.object()
				.put("offset", Long.parseLong(offset.substring(offset.lastIndexOf('@') + 1)))
				.set("data", packet.path("data"));
		}

		/**
		 * Reads until the socket is disconnected: its Engine.IO session closed (codes the
		 * client should reconnect after), or the namespace disconnected ({@code 41},
		 * codes it should not); 1005 either way, -1 when still connected at the timeout.
		 */
		@Override
		public int awaitClose(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (System.nanoTime() < deadline) {
					JsonNode packet = this.client.next(Duration.ofNanos(deadline - System.nanoTime()));
					if (packet == null || "disconnect".equals(packet.path("type").asString())) {
						return 1005;
					}
				}
			}
			catch (AssertionError timedOut) {
				// still connected
			}
			return -1;
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

}
