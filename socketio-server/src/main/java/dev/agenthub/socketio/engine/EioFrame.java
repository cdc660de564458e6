package dev.agenthub.socketio.engine;

import java.nio.charset.StandardCharsets;

/**
 * One outbound Engine.IO packet, encoded once: a text packet as its UTF-8 bytes (type
 * digit included, e.g. {@code "42[\"a\"]"}), or a binary message as its raw bytes.
 * Immutable, so one frame can be queued to many sessions; the byte array is never
 * modified after construction.
 */
public final class EioFrame {

	/** The server's ping. */
	public static final EioFrame PING = text("2");

	/** The noop that ends a pending poll during an upgrade. */
	public static final EioFrame NOOP = text("6");

	/** The close packet. */
	public static final EioFrame CLOSE = text("1");

	/** The answer to the client's upgrade probe. */
	public static final EioFrame PROBE_PONG = text("3probe");

	private final boolean binary;

	private final byte[] data;

	private EioFrame(boolean binary, byte[] data) {
		this.binary = binary;
		this.data = data;
	}

	/** A text packet; {@code packet} starts with its type digit. */
	public static EioFrame text(String packet) {
		return new EioFrame(false, packet.getBytes(StandardCharsets.UTF_8));
	}

	/** A MESSAGE packet carrying {@code message} as text. */
	public static EioFrame message(String message) {
		return text(EioPacketType.MESSAGE.code() + message);
	}

	/** A binary MESSAGE packet. The array is taken over, not copied. */
	public static EioFrame binary(byte[] data) {
		return new EioFrame(true, data);
	}

	public boolean isBinary() {
		return this.binary;
	}

	/** The encoded bytes; callers must not modify them. */
	public byte[] bytes() {
		return this.data;
	}

	/** The encoded size, counted against the outbound bound. */
	public int size() {
		return this.data.length;
	}

	@Override
	public String toString() {
		return this.binary ? "binary[" + this.data.length + "]" : new String(this.data, StandardCharsets.UTF_8);
	}

}
