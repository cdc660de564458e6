package dev.agenthub.support.connection;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import tools.jackson.databind.JsonNode;

/**
 * How frames reach one client: a raw WebSocket ({@link WebSocketTransport}) or a
 * Socket.IO socket ({@link SocketIoTransport}). Every transport bounds what it queues in
 * bytes; a {@code false} from a send means the bound was passed and the connection must
 * close (4010). Thread-safe: any thread may send.
 */
public interface Transport {

	/**
	 * Queues a message to this client (reply, notice, error); a reply carries its
	 * request's id.
	 * @return {@code false} when the queue is over its bound
	 */
	boolean send(ServerMessage message);

	/**
	 * Queues an event, in the form shared with every other recipient.
	 * @return {@code false} when the queue is over its bound
	 */
	boolean deliver(EncodedEvent event);

	/** Bytes queued and not yet written. */
	long queuedBytes();

	/** Lets the transport take queued frames as far as it can now (a waiting replay). */
	default void flush() {
	}

	/** Sends a transport-level ping where the core keeps the transport alive. */
	void ping();

	/**
	 * The core's periodic keepalive: a transport ping and the dialect's app-level
	 * heartbeat message.
	 * @return {@code false} when the queue is over its bound
	 */
	default boolean heartbeat() {
		ping();
		return true;
	}

	/** Whether the transport keeps itself alive (Socket.IO's own heartbeat). */
	boolean ownHeartbeats();

	/**
	 * Closes with a catalogued code: queued frames go first (briefly), a slow reader's
	 * are dropped. Called once.
	 */
	void close(CloseCode code, String reason);

	/** A request was handled; an acknowledgement nobody answered is answered now. */
	default void requestDone(JsonNode id) {
	}

}
