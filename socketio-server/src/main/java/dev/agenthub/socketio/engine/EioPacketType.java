package dev.agenthub.socketio.engine;

import org.jspecify.annotations.Nullable;

/** The Engine.IO v4 packet types, each written as one digit. */
public enum EioPacketType {

	OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

	/** The wire digit. */
	public char code() {
		return (char) ('0' + ordinal());
	}

	/** The type for a wire digit, or {@code null} if the digit names none. */
	public static @Nullable EioPacketType of(char code) {
		int index = code - '0';
		return (index >= 0 && index < values().length) ? values()[index] : null;
	}

}
