package dev.agenthub.socketio.engine;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Engine.IO v4 packet and payload encoding. Polling payloads join packets with the record
 * separator {@code \x1e}; binary messages travel in them as {@code b} plus base64. Over
 * WebSocket each packet is one frame and binary messages are raw binary frames.
 */
public final class EioCodec {

	/** The polling payload separator. */
	public static final char SEPARATOR = '\u001e';

	private EioCodec() {
	}

	/** Decode one text packet (a WebSocket text frame, or one record of a payload). */
	public static EioInbound decodeText(String packet, boolean allowBase64Binary) {
		if (packet.isEmpty()) {
			throw new EioProtocolException("empty packet");
		}
		char first = packet.charAt(0);
		if (first == 'b' && allowBase64Binary) {
			try {
				return EioInbound.binaryMessage(Base64.getDecoder().decode(packet.substring(1)));
			}
			catch (IllegalArgumentException ex) {
				throw new EioProtocolException("invalid base64 binary packet");
			}
		}
		EioPacketType type = EioPacketType.of(first);
		if (type == null) {
			throw new EioProtocolException("unknown packet type '" + first + "'");
		}
		return new EioInbound(type, packet.substring(1), null);
	}

	/** Decode a polling POST body. */
	public static List<EioInbound> decodePayload(String payload) {
		List<EioInbound> packets = new ArrayList<>();
		int start = 0;
		while (true) {
			int end = payload.indexOf(SEPARATOR, start);
			String record = (end < 0) ? payload.substring(start) : payload.substring(start, end);
			packets.add(decodeText(record, true));
			if (end < 0) {
				return packets;
			}
			start = end + 1;
		}
	}

	/** Encode frames as one polling GET body. */
	public static byte[] encodePayload(Collection<EioFrame> frames) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(frames));
		boolean first = true;
		for (EioFrame frame : frames) {
			if (!first) {
				out.write(SEPARATOR);
			}
			first = false;
			if (frame.isBinary()) {
				out.write('b');
				out.writeBytes(Base64.getEncoder().encode(frame.bytes()));
			}
			else {
				out.writeBytes(frame.bytes());
			}
		}
		return out.toByteArray();
	}

	private static int estimate(Collection<EioFrame> frames) {
		long size = 0;
		for (EioFrame frame : frames) {
			size += frame.isBinary() ? (frame.size() * 4L / 3 + 4) : frame.size();
			size++;
		}
		return (int) Math.min(size, Integer.MAX_VALUE - 8);
	}

}
