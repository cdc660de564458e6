package dev.agenthub.socketio.engine;

/** A client broke the Engine.IO packet format; the session is closed. */
public class EioProtocolException extends RuntimeException {

	public EioProtocolException(String message) {
		super(message);
	}

}
