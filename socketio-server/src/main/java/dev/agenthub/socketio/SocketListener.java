package dev.agenthub.socketio;

/**
 * Receives what happens on one accepted socket. Calls for one socket are serial, in
 * arrival order, on I/O threads (the disconnect on the engine's timer thread):
 * implementations must not block (hand slow work to a scheduler and answer acks later). A
 * listener may emit to, disconnect or close any socket, including others.
 */
public interface SocketListener {

	/**
	 * The CONNECT reply has been queued; the socket may emit. A recovered socket replays
	 * what the client missed from here, before any live event.
	 */
	default void onConnect(SioSocket socket) {
	}

	/**
	 * The client emitted an event. Reserved names never reach here (the engine closes the
	 * session on them).
	 */
	default void onEvent(SioSocket socket, SioEvent event) {
	}

	/**
	 * The socket is gone; called exactly once per connected socket, after any
	 * {@link #onEvent} in progress, on the engine's timer thread.
	 * {@link SioSocket#connected()} is already {@code false} when this runs.
	 */
	default void onDisconnect(SioSocket socket, DisconnectReason reason) {
	}

}
