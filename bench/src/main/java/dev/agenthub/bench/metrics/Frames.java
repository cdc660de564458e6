package dev.agenthub.bench.metrics;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Byte-level scanning of JSON text frames: the generator reads a frame's type, offset and
 * embedded send timestamps without decoding it, so that it keeps up with the hub.
 */
public final class Frames {

	/** {@code "success":true}. */
	public static final byte[] SUCCESS_TRUE = ascii("\"success\":true");

	/** {@code "recovered":true}. */
	public static final byte[] RECOVERED_TRUE = ascii("\"recovered\":true");

	/** {@code "offset":}. */
	public static final byte[] OFFSET = ascii("\"offset\":");

	/** {@code "epoch":"}. */
	public static final byte[] EPOCH = ascii("\"epoch\":\"");

	/** {@code "ts":} (publish API payloads). */
	public static final byte[] TS = ascii("\"ts\":");

	private static final byte[] TYPE = ascii("\"type\":\"");

	private Frames() {
	}

	public static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * @return the frame's {@code type}, or {@code ""}
	 */
	public static String type(ByteBuf frame) {
		int at = indexOf(frame, TYPE);
		if (at < 0) {
			return "";
		}
		int start = at + TYPE.length;
		int end = start;
		int limit = frame.writerIndex();
		while (end < limit && frame.getByte(end) != '"') {
			end++;
		}
		return frame.toString(start, end - start, StandardCharsets.US_ASCII);
	}

	/**
	 * @return the absolute index of {@code needle} in the readable bytes, or -1
	 */
	public static int indexOf(ByteBuf frame, byte[] needle) {
		return indexOf(frame, needle, frame.readerIndex());
	}

	static int indexOf(ByteBuf frame, byte[] needle, int from) {
		int limit = frame.writerIndex() - needle.length;
		byte first = needle[0];
		outer: for (int i = from; i <= limit; i++) {
			if (frame.getByte(i) != first) {
				continue;
			}
			for (int j = 1; j < needle.length; j++) {
				if (frame.getByte(i + j) != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * @return the non-negative integer right after {@code key}, or -1
	 */
	public static long longAfter(ByteBuf frame, byte[] key) {
		int at = indexOf(frame, key);
		return (at < 0) ? -1 : digits(frame, at + key.length);
	}

	/**
	 * @return the string value after {@code key} (which ends with the opening quote), or
	 * {@code null}
	 */
	public static String stringAfter(ByteBuf frame, byte[] key) {
		int at = indexOf(frame, key);
		if (at < 0) {
			return null;
		}
		int start = at + key.length;
		int end = start;
		while (end < frame.writerIndex() && frame.getByte(end) != '"') {
			end++;
		}
		return frame.toString(start, end - start, StandardCharsets.US_ASCII);
	}

	/**
	 * Visits every {@code #<digits>;} marker (agent tab output carries one per chunk; the
	 * hub may coalesce several chunks into one event).
	 * @param frame the frame
	 * @param visitor receives each number
	 * @return how many markers were found
	 */
	public static int markers(ByteBuf frame, java.util.function.LongConsumer visitor) {
		int count = 0;
		int limit = frame.writerIndex();
		for (int i = frame.readerIndex(); i < limit; i++) {
			if (frame.getByte(i) == '#') {
				long value = digits(frame, i + 1);
				int end = i + 1;
				while (end < limit && frame.getByte(end) >= '0' && frame.getByte(end) <= '9') {
					end++;
				}
				if (value >= 0 && end < limit && frame.getByte(end) == ';') {
					visitor.accept(value);
					count++;
					i = end;
				}
			}
		}
		return count;
	}

	private static long digits(ByteBuf frame, int from) {
		long value = 0;
		int i = from;
		int limit = frame.writerIndex();
		while (i < limit && frame.getByte(i) == ' ') {
			i++;
		}
		int start = i;
		while (i < limit) {
			byte b = frame.getByte(i);
			if (b < '0' || b > '9') {
				break;
			}
			value = value * 10 + (b - '0');
			i++;
		}
		return (i == start) ? -1 : value;
	}

}
