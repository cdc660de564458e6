package dev.agenthub.socketio.parser;

/** A client sent a Socket.IO packet that breaks the format; the session is closed. */
public class SioParseException extends RuntimeException {

	public SioParseException(String message) {
		super(message, null, false, false);
	}

}
