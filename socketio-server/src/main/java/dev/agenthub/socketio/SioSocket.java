package dev.agenthub.socketio;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One client's connection to one namespace. Thread-safe: emit from any thread.
 *
 * <p>
 * Every emit goes through the Engine.IO session's bounded outbound queue. When a client
 * reads too slowly and the queue passes {@link SocketIoConfig#maxOutboundBytes()}, the
 * whole session closes and every socket on it gets {@link SocketListener#onDisconnect}
 * with {@link DisconnectReason#OUTBOUND_OVERFLOW}; emits then return {@code false}.
 */
public interface SioSocket {

	/** The public socket id (the {@code sid} of the CONNECT reply). */
	String id();

	/** The namespace, e.g. {@code "/"} or {@code "/agent"}. */
	String namespace();

	/** The underlying Engine.IO session's handshake. */
	HandshakeInfo handshake();

	/** The CONNECT payload the client sent (an empty object if none). */
	JsonNode auth();

	/** The connection state recovery pid given to the client, or {@code null}. */
	@Nullable String pid();

	/** Whether this connection was accepted as a recovery of an earlier one. */
	boolean recovered();

	/** Whether the socket is still connected. */
	boolean connected();

	/**
	 * Emit an event. {@link tools.jackson.databind.node.BinaryNode} arguments (at any
	 * depth) are sent as binary attachments.
	 * @return {@code false} if the socket is gone or the queue overflowed
	 * @throws IllegalArgumentException for a reserved name ({@code connect},
	 * {@code connect_error}, {@code disconnect}, {@code disconnecting},
	 * {@code newListener}, {@code removeListener})
	 */
	boolean emit(String event, JsonNode... args);

	/**
	 * Send a packet encoded once with {@link SocketIoServer#encodeEvent} for many
	 * sockets: no per-recipient serialization.
	 * @return {@code false} if the socket is gone or the queue overflowed
	 * @throws IllegalArgumentException if the packet was encoded for another namespace
	 */
	boolean send(SioPacket packet);

	/**
	 * Emit an event and wait for the client's acknowledgement.
	 * @return the acknowledgement's arguments; errors with a
	 * {@link java.util.concurrent.TimeoutException} after {@code timeout}, or with
	 * {@link IllegalStateException} if the socket disconnects first
	 */
	Mono<List<JsonNode>> emitWithAck(Duration timeout, String event, JsonNode... args);

	/** Bytes waiting in the session's outbound queue. */
	long pendingOutboundBytes();

	/**
	 * Hands queued frames to the transport as far as it takes them now (a sender waiting
	 * for room calls it while it polls).
	 */
	default void flush() {
	}

	/**
	 * Holds the client's input, for flow control: the session's transport stops reading
	 * (a WebSocket lets TCP push back; a long-polling POST is answered only once
	 * released). It holds every namespace of the client. Holds nest; each ends with one
	 * {@link #releaseInput()}; a closed session ends them all.
	 */
	default void holdInput() {
	}

	/** Ends one {@link #holdInput() hold}. */
	default void releaseInput() {
	}

	/**
	 * Disconnect from this namespace: sends DISCONNECT, keeps the Engine.IO session for
	 * the client's other namespaces.
	 */
	void disconnect();

	/** Close the whole Engine.IO session (all namespaces of this client). */
	void close();

}
