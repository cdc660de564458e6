package dev.agenthub.socketio.conformance;

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

	@Override
	public void onConnect(SioSocket socket) {
		socket.emit("auth", socket.auth());
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
