package dev.agenthub.socketio.engine;

import org.jspecify.annotations.Nullable;

/**
 * One decoded inbound Engine.IO packet.
 *
 * @param type the packet type
 * @param text the text data after the type digit (empty if none), {@code null} for a
 * binary message
 * @param binary the bytes of a binary message, otherwise {@code null}
 */
public record EioInbound(EioPacketType type, @Nullable String text, byte @Nullable [] binary) {

	public static EioInbound binaryMessage(byte[] data) {
		return new EioInbound(EioPacketType.MESSAGE, null, data);
	}

}
