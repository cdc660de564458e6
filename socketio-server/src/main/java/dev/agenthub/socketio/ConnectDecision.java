package dev.agenthub.socketio;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link NamespaceHandler}'s answer to a CONNECT: accept (with the listener of the new
 * socket) or reject (the client's {@code connect_error} gets the message).
 */
public sealed interface ConnectDecision permits ConnectDecision.Accept, ConnectDecision.Reject {

	/** Accept with a fresh socket id and no connection state recovery. */
	static Accept accept(SocketListener listener) {
		return new Accept(listener, null, false, null);
	}

	/**
	 * Accept and enable connection state recovery for this socket: the CONNECT reply
	 * carries {@code pid}, which the client sends back (with its last offset) when it
	 * reconnects. Use a fresh random value per connection.
	 */
	static Accept acceptWithPid(SocketListener listener, String pid) {
		return new Accept(listener, Objects.requireNonNull(pid, "pid"), false, null);
	}

	/**
	 * Accept a reconnecting client as recovered: the reply carries the client's own
	 * {@code pid} back, which makes the official client set {@code socket.recovered} to
	 * {@code true}. The handler then replays what the client missed from
	 * {@link SocketListener#onConnect}. Only answer this when the replay is complete
	 * (never partial).
	 * @param listener the listener of the socket
	 * @param recovery the request from {@link RecoveryRequest#from(JsonNode)}
	 * @param socketId the socket id of the previous connection to keep it, or
	 * {@code null} for a fresh one
	 */
	static Accept recovered(SocketListener listener, RecoveryRequest recovery, @Nullable String socketId) {
		return new Accept(listener, recovery.pid(), true, socketId);
	}

	/** Reject with a message for the client's {@code connect_error}. */
	static Reject reject(String message) {
		return new Reject(message, null);
	}

	/** Reject with a message and extra data (the client's {@code err.data}). */
	static Reject reject(String message, @Nullable JsonNode data) {
		return new Reject(message, data);
	}

	/**
	 * Accept the socket.
	 *
	 * @param listener receives the socket's lifecycle and events
	 * @param pid the private id for connection state recovery, or {@code null}
	 * @param recovered whether this connection resumes the one {@code pid} names
	 * @param socketId the socket id to use, or {@code null} for a fresh one
	 */
	record Accept(SocketListener listener, @Nullable String pid, boolean recovered,
			@Nullable String socketId) implements ConnectDecision {

		public Accept {
			Objects.requireNonNull(listener, "listener");
			if (recovered && pid == null) {
				throw new IllegalArgumentException("a recovered connection needs the pid it recovers");
			}
		}

	}

	/**
	 * Refuse the socket.
	 *
	 * @param message the error message
	 * @param data optional details, or {@code null}
	 */
	record Reject(String message, @Nullable JsonNode data) implements ConnectDecision {

		public Reject {
			Objects.requireNonNull(message, "message");
		}

	}

}
