package dev.agenthub.socketio.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.agenthub.socketio.engine.EioFrame;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes Socket.IO packets to Engine.IO frames. Binary values
 * ({@link tools.jackson.databind.node.BinaryNode}) anywhere in the payload become
 * numbered placeholders plus binary attachments, in depth-first order, and the packet
 * type becomes BINARY_EVENT / BINARY_ACK.
 */
public final class SioEncoder {

	private SioEncoder() {
	}

	public static List<EioFrame> encode(SioPacketType type, String namespace, @Nullable Long id,
			@Nullable JsonNode data) {
		List<byte[]> attachments = new ArrayList<>();
		JsonNode payload = (data != null && hasBinary(data)) ? deconstruct(data, attachments) : data;
		SioPacketType wireType = type;
		if (!attachments.isEmpty()) {
			wireType = (type == SioPacketType.ACK || type == SioPacketType.BINARY_ACK) ? SioPacketType.BINARY_ACK
					: SioPacketType.BINARY_EVENT;
		}
		StringBuilder text = new StringBuilder(64);
		text.append(wireType.code());
		if (wireType.isBinary()) {
			text.append(attachments.size()).append('-');
		}
		if (!"/".equals(namespace)) {
			text.append(namespace).append(',');
		}
		if (id != null) {
			text.append(id.longValue());
		}
		if (payload != null) {
			text.append(SioJson.write(payload));
		}
		List<EioFrame> frames = new ArrayList<>(1 + attachments.size());
		frames.add(EioFrame.message(text.toString()));
		for (byte[] attachment : attachments) {
			frames.add(EioFrame.binary(attachment));
		}
		return frames;
	}

	/**
	 * An EVENT whose arguments are already JSON text (e.g. an event body read from the
	 * bus): the text is copied as is, never parsed. The caller guarantees each argument
	 * is one valid JSON value without binary.
	 */
	public static EioFrame encodeRawEvent(String namespace, String event, String... jsonArgs) {
		checkName(event);
		int size = 16 + namespace.length() + event.length();
		for (String arg : jsonArgs) {
			size += arg.length() + 1;
		}
		StringBuilder text = new StringBuilder(size);
		text.append(SioPacketType.EVENT.code());
		if (!"/".equals(namespace)) {
			text.append(namespace).append(',');
		}
		text.append('[').append(SioJson.write(SioJson.NODES.stringNode(event)));
		for (String arg : jsonArgs) {
			if (arg.isBlank()) {
				throw new IllegalArgumentException("an argument of event " + event + " is empty");
			}
			text.append(',').append(arg);
		}
		return EioFrame.message(text.append(']').toString());
	}

	/**
	 * An EVENT payload: the name followed by the arguments.
	 * @throws IllegalArgumentException for a reserved event name, which the client would
	 * take for its own lifecycle events
	 */
	public static ArrayNode eventPayload(String event, JsonNode... args) {
		checkName(event);
		ArrayNode array = SioJson.NODES.arrayNode(args.length + 1);
		array.add(event);
		for (JsonNode arg : args) {
			array.add(arg);
		}
		return array;
	}

	/** An ACK payload: the arguments. */
	public static ArrayNode ackPayload(JsonNode... args) {
		ArrayNode array = SioJson.NODES.arrayNode(args.length);
		for (JsonNode arg : args) {
			array.add(arg);
		}
		return array;
	}

	private static void checkName(String event) {
		if (SioDecoder.RESERVED_EVENTS.contains(event)) {
			throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
		}
	}

	static boolean hasBinary(JsonNode node) {
		if (node.isBinary()) {
			return true;
		}
		if (node.isContainer()) {
			for (JsonNode child : node.values()) {
				if (hasBinary(child)) {
					return true;
				}
			}
		}
		return false;
	}

	private static JsonNode deconstruct(JsonNode node, List<byte[]> attachments) {
		if (node.isBinary()) {
			ObjectNode placeholder = SioJson.NODES.objectNode();
			placeholder.put("_placeholder", true);
			placeholder.put("num", attachments.size());
			attachments.add(node.binaryValue());
			return placeholder;
		}
		if (node.isArray()) {
			ArrayNode copy = SioJson.NODES.arrayNode(node.size());
			for (JsonNode element : node) {
				copy.add(deconstruct(element, attachments));
			}
			return copy;
		}
		if (node.isObject()) {
			ObjectNode copy = SioJson.NODES.objectNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				copy.set(property.getKey(), deconstruct(property.getValue(), attachments));
			}
			return copy;
		}
		return node;
	}

}
