package dev.agenthub.socketio.engine;

/** The session's view of a WebSocket transport it writes to. */
public interface WsOutbound {

	/**
	 * Frames are waiting in the session queue: pull them when the socket can take them.
	 */
	void drain();

	/** Close the WebSocket (after draining what the session still holds). */
	void close();

}
