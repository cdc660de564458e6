package dev.agenthub.socketio.engine;

import dev.agenthub.socketio.DisconnectReason;

/**
 * The layer above one Engine.IO session (Socket.IO, or the conformance echo). Calls are
 * serial per session, on I/O threads, and must not block.
 */
public interface EioSessionHandler {

	/** A text MESSAGE packet arrived. */
	void onMessage(String data);

	/** A binary MESSAGE packet arrived. */
	void onBinary(byte[] data);

	/** The session closed; called once. */
	void onClose(DisconnectReason reason);

}
