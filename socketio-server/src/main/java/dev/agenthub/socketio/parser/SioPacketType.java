package dev.agenthub.socketio.parser;

import org.jspecify.annotations.Nullable;

/** The Socket.IO v5 packet types, each written as one digit. */
public enum SioPacketType {

	CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

	public char code() {
		return (char) ('0' + ordinal());
	}

	public boolean isBinary() {
		return this == BINARY_EVENT || this == BINARY_ACK;
	}

	public static @Nullable SioPacketType of(char code) {
		int index = code - '0';
		return (index >= 0 && index < values().length) ? values()[index] : null;
	}

}
