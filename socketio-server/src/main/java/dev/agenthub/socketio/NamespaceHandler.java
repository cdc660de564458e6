package dev.agenthub.socketio;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Decides who may connect to one namespace, and what listens to the sockets it accepts.
 * One instance per namespace, shared by all its sockets, so it must be thread-safe.
 *
 * <p>
 * The engine calls {@link #onConnect} once per Socket.IO CONNECT packet. Until the
 * returned {@code Mono} completes no other packet of that namespace is processed; if it
 * errors the client gets a CONNECT_ERROR with a generic message, if it completes empty
 * the CONNECT is refused as "Not authorized".
 */
@FunctionalInterface
public interface NamespaceHandler {

	/**
	 * Decide on a CONNECT.
	 * @param handshake what the client sent when its Engine.IO session opened
	 * @param auth the CONNECT payload (an empty object when the client sent none). When
	 * the client asks for connection state recovery it holds {@code pid} and
	 * {@code offset}: see {@link RecoveryRequest#from(JsonNode)}
	 * @return the decision; must not block
	 */
	Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth);

}
