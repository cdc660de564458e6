package dev.agenthub.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.socketio.conformance.ConformanceNamespaceHandler;
import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.parser.SioJson;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Namespace handlers the client tests use, written against the public SPI only. */
final class TestNamespaces {

	private TestNamespaces() {
	}

	/**
	 * The conformance behaviour plus a server-to-client ack round trip on "ask-client".
	 */
	static final class Main implements NamespaceHandler, SocketListener {

		private final ConformanceNamespaceHandler conformance = new ConformanceNamespaceHandler();

		@Override
		public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
			return Mono.just(ConnectDecision.accept(this));
		}

		@Override
		public void onConnect(SioSocket socket) {
			this.conformance.onConnect(socket);
		}

		@Override
		public void onEvent(SioSocket socket, SioEvent event) {
			if ("leave".equals(event.name())) {
				socket.disconnect();
				return;
			}
			if ("ask-client".equals(event.name())) {
				socket.emitWithAck(Duration.ofSeconds(3), "question", event.args().get(0))
					.subscribe((answer) -> socket.emit("answer", answer.toArray(JsonNode[]::new)));
				return;
			}
			this.conformance.onEvent(socket, event);
		}

	}

	/** Accepts only {@code auth.token == "good"}; refuses with data, asynchronously. */
	static final class Private implements NamespaceHandler {

		@Override
		public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
			JsonNode token = auth.get("token");
			if (token != null && "good".equals(token.asString())) {
				return Mono.delay(Duration.ofMillis(10)).map((tick) -> ConnectDecision.accept(new SocketListener() {
				}));
			}
			return Mono.just(ConnectDecision.reject("Not authorized", SioJson.NODES.objectNode().put("code", "auth")));
		}

	}

	/**
	 * Connection state recovery: events carry their offset as last argument; a client
	 * that reconnects with a known pid gets what it missed and is told it recovered.
	 */
	static final class Recovering implements NamespaceHandler {

		private record Entry(int value, String offset) {
		}

		private static final class State {

			volatile String socketId;

			final List<Entry> log = new CopyOnWriteArrayList<>();

		}

		private final Map<String, State> states = new ConcurrentHashMap<>();

		@Override
		public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
			return Mono.fromSupplier(() -> {
				var request = RecoveryRequest.from(auth);
				if (request.isPresent() && this.states.containsKey(request.get().pid())) {
					State state = this.states.get(request.get().pid());
					return ConnectDecision.recovered(listener(request.get().pid(), request.get().offset()),
							request.get(), state.socketId);
				}
				String pid = EioSessions.newId();
				this.states.put(pid, new State());
				return ConnectDecision.acceptWithPid(listener(pid, null), pid);
			});
		}

		private SocketListener listener(String pid, String lastOffset) {
			State state = this.states.get(pid);
			return new SocketListener() {

				@Override
				public void onConnect(SioSocket socket) {
					state.socketId = socket.id();
					if (socket.recovered()) {
						long after = (lastOffset != null) ? Long.parseLong(lastOffset) : 0;
						for (Entry entry : state.log) {
							if (Long.parseLong(entry.offset()) > after) {
								send(socket, entry);
							}
						}
					}
				}

				@Override
				public void onEvent(SioSocket socket, SioEvent event) {
					switch (event.name()) {
						case "start" -> {
							for (int value = 1; value <= 2; value++) {
								Entry entry = new Entry(value, Integer.toString(value));
								state.log.add(entry);
								send(socket, entry);
							}
							event.ack().send();
						}
						case "drop" -> {
							// published while the client is away: only the log has them
							state.log.add(new Entry(3, "3"));
							state.log.add(new Entry(4, "4"));
							socket.close();
						}
						case "sync" -> event.ack().send();
						default -> {
						}
					}
				}

			};
		}

		private static void send(SioSocket socket, Entry entry) {
			socket.emit("tick", SioJson.NODES.numberNode(entry.value()), SioJson.NODES.stringNode(entry.offset()));
		}

	}

}
