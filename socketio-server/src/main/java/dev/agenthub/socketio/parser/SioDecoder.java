package dev.agenthub.socketio.parser;

import java.util.Set;

import io.netty.buffer.ByteBufUtil;
import tools.jackson.databind.JsonNode;

/**
 * Decodes the text part of a Socket.IO packet:
 * {@code <type>[<attachments>-][<namespace>,][<id>][<json>]}, with the payload rules of
 * the reference parser (reserved event names refused, payload shape per type).
 */
public final class SioDecoder {

	/** Event names a client may not emit. */
	public static final Set<String> RESERVED_EVENTS = Set.of("connect", "connect_error", "disconnect", "disconnecting",
			"newListener", "removeListener");

	private static final int MAX_ID_DIGITS = 15;

	private SioDecoder() {
	}

	public static SioInboundPacket decode(String text, int maxAttachments) {
		if (text.isEmpty()) {
			throw new SioParseException("empty packet");
		}
		SioPacketType type = SioPacketType.of(text.charAt(0));
		if (type == null) {
			throw new SioParseException("unknown packet type");
		}
		int i = 0;
		int attachments = 0;
		if (type.isBinary()) {
			int dash = text.indexOf('-', 1);
			String count = (dash < 0) ? "" : text.substring(1, dash);
			if (count.isEmpty() || count.length() > 4 || !allDigits(count)) {
				throw new SioParseException("illegal attachments");
			}
			attachments = Integer.parseInt(count);
			if (attachments > maxAttachments) {
				throw new SioParseException("too many attachments");
			}
			i = dash;
		}
		String namespace = "/";
		int length = text.length();
		if (i + 1 < length && text.charAt(i + 1) == '/') {
			int comma = text.indexOf(',', i + 1);
			int end = (comma < 0) ? length : comma;
			namespace = text.substring(i + 1, end);
			i = (comma < 0) ? length - 1 : comma;
		}
		Long id = null;
		if (i + 1 < length && Character.isDigit(text.charAt(i + 1))) {
			int start = i + 1;
			while (i + 1 < length && Character.isDigit(text.charAt(i + 1))) {
				i++;
			}
			if (i + 1 - start > MAX_ID_DIGITS) {
				throw new SioParseException("ack id too long");
			}
			id = Long.parseLong(text.substring(start, i + 1));
		}
		JsonNode data = (i + 1 < length) ? SioJson.parse(text.substring(i + 1)) : null;
		validate(type, id, data);
		return new SioInboundPacket(type, namespace, id, data, attachments, ByteBufUtil.utf8Bytes(text));
	}

	private static void validate(SioPacketType type, Long id, JsonNode data) {
		boolean valid = switch (type) {
			case CONNECT -> data == null || data.isObject();
			case DISCONNECT -> data == null;
			case EVENT, BINARY_EVENT ->
				data != null && data.isArray() && !data.isEmpty() && validEventName(data.get(0));
			case ACK, BINARY_ACK -> data != null && data.isArray() && id != null;
			case CONNECT_ERROR -> false;
		};
		if (!valid) {
			throw new SioParseException("invalid payload for " + type);
		}
	}

	private static boolean validEventName(JsonNode name) {
		return name.isNumber() || (name.isString() && !RESERVED_EVENTS.contains(name.stringValue()));
	}

	private static boolean allDigits(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (!Character.isDigit(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
