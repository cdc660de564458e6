package dev.agenthub.socketio;

/**
 * Hooks the engine calls on notable events, so a service can count them with its own
 * meter registry. All methods default to no-ops and must be cheap and non-blocking: they
 * run on I/O threads. Tag values passed here are low-cardinality (transport names,
 * namespace names, {@link DisconnectReason}).
 */
public interface SocketIoMetrics {

	/** A recorder that records nothing. */
	SocketIoMetrics NOOP = new SocketIoMetrics() {
	};

	/** An Engine.IO session opened on {@code transport} ("polling" or "websocket"). */
	default void sessionOpened(String transport) {
	}

	/** An Engine.IO session closed. */
	default void sessionClosed(DisconnectReason reason) {
	}

	/** A polling session upgraded to WebSocket. */
	default void upgraded() {
	}

	/** A handshake was refused because maxSessions sessions are open. */
	default void sessionRejected() {
	}

	/** A socket connected to {@code namespace}. */
	default void socketConnected(String namespace) {
	}

	/** A CONNECT to {@code namespace} was refused (handler or unknown namespace). */
	default void connectRejected(String namespace) {
	}

	/** A socket of {@code namespace} disconnected. */
	default void socketDisconnected(String namespace, DisconnectReason reason) {
	}

	/** A session's outbound queue overflowed and the session is being closed. */
	default void outboundOverflow() {
	}

	/** An Engine.IO packet arrived from a client. */
	default void packetReceived() {
	}

	/** An Engine.IO packet was queued for a client. */
	default void packetQueued() {
	}

}
