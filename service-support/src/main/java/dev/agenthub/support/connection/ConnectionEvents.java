package dev.agenthub.support.connection;

import dev.agenthub.contracts.error.CloseCode;

/**
 * What the core tells an ingress's metrics about its connections. Calls must not block.
 */
public interface ConnectionEvents {

	/** Counts nothing. */
	ConnectionEvents NONE = new ConnectionEvents() {
	};

	/** A message or event was queued to a client. */
	default void messageOut() {
	}

	/** A message was read from a client. */
	default void messageIn() {
	}

	/** A slow reader is about to be closed (4010). */
	default void slowReader() {
	}

	/** A connection was closed by the server with a code. */
	default void closedWith(CloseCode code) {
	}

}
