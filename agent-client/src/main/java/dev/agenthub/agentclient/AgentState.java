package dev.agenthub.agentclient;

/**
 * Connection state of an {@link AgentClient}.
 */
public enum AgentState {

	/** Built, not started. */
	NEW,

	/** Opening the WebSocket. */
	CONNECTING,

	/** Connected, {@code register} sent, waiting for {@code registered}. */
	REGISTERING,

	/** Registered: heartbeats and queued events flow. */
	REGISTERED,

	/** Disconnected, waiting for the backoff delay before reconnecting. */
	RECONNECT_WAIT,

	/** {@code stop()} called: sending the last events, then closing. */
	STOPPING,

	/** Stopped for good (after {@code stop()} or a {@code STOP} reconnect decision). */
	STOPPED

}
