package dev.agenthub.socketio.conformance;

import java.time.Duration;

import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The Socket.IO test suite's namespace: emits {@code auth} with the CONNECT payload,
 * echoes {@code message} as {@code message-back} and acknowledges
 * {@code message-with-ack} with its own arguments.
 */
public final class ConformanceNamespaceHandler implements NamespaceHandler, SocketListener {

	@Override
	public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
		return Mono.just(ConnectDecision.accept(this));
	}

	/**
	 * How long after the CONNECT reply {@code auth} is emitted. The suite's client reads
	 * the reply and this event with two one-shot listeners, the second registered only
	 * after the first fired; its WebSocket library emits every message of one socket read
	 * at once, so two frames that arrive in one read lose the second. The reference
	 * server's two writes are an I/O turn apart; the engine here flushes them back to
	 * back, microseconds apart. The pause is the harness's, not the engine's: an
	 * application's emit in {@code onConnect} is written at once.
	 */
	static final Duration AUTH_AFTER = Duration.ofMillis(20);

	@Override
	public void onConnect(SioSocket socket) {
		Mono.delay(AUTH_AFTER).subscribe((tick) -> socket.emit("auth", socket.auth()));
	}

	@Override
	public void onEvent(SioSocket socket, SioEvent event) {
		JsonNode[] args = event.args().toArray(JsonNode[]::new);
		if ("message".equals(event.name())) {
			socket.emit("message-back", args);
		}
		else if ("message-with-ack".equals(event.name()) && event.ack() != null) {
			event.ack().send(args);
		}
	}

}
