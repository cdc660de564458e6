package dev.agenthub.socketio.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Collects the binary attachments of one binary packet and puts them in place of their
 * {@code {"_placeholder":true,"num":n}} markers. One per client connection; not
 * thread-safe (inbound packets of a connection are serial).
 */
public final class BinaryReconstructor {

	private @Nullable SioInboundPacket pending;

	private final List<byte[]> buffers = new ArrayList<>();

	private long bufferedBytes;

	/** Whether a binary packet is waiting for attachments. */
	public boolean isPending() {
		return this.pending != null;
	}

	public void start(SioInboundPacket packet) {
		this.pending = packet;
		this.buffers.clear();
		this.bufferedBytes = 0;
	}

	/**
	 * Add an attachment.
	 * @return the complete packet once the last attachment arrived, else {@code null}
	 */
	public @Nullable SioInboundPacket add(byte[] attachment, long maxBytes) {
		SioInboundPacket packet = this.pending;
		if (packet == null) {
			throw new SioParseException("unexpected binary attachment");
		}
		this.bufferedBytes += attachment.length;
		if (this.bufferedBytes > maxBytes) {
			throw new SioParseException("attachments too large");
		}
		this.buffers.add(attachment);
		if (this.buffers.size() < packet.attachments()) {
			return null;
		}
		JsonNode data = replace(packet.data(), this.buffers, new boolean[this.buffers.size()]);
		this.pending = null;
		this.buffers.clear();
		return packet.withAttachments(data, this.bufferedBytes);
	}

	/**
	 * The packet's data with its placeholders replaced by their attachments. Each
	 * attachment may be named once: a packet naming one attachment thousands of times
	 * would be thousands of times its size once the data is written out again (base64,
	 * for a publish), from one payload's worth of input.
	 */
	private static JsonNode replace(JsonNode node, List<byte[]> buffers, boolean[] used) {
		if (node.isArray()) {
			ArrayNode copy = SioJson.NODES.arrayNode(node.size());
			for (JsonNode element : node) {
				copy.add(replace(element, buffers, used));
			}
			return copy;
		}
		if (node.isObject()) {
			JsonNode marker = node.get("_placeholder");
			if (marker != null && marker.isBoolean() && marker.booleanValue()) {
				JsonNode num = node.get("num");
				// canConvertToInt first: asInt() throws on a number beyond int (found by
				// PacketFuzzTests), which would escape as an unexpected exception.
				if (num == null || !num.isIntegralNumber() || !num.canConvertToInt() || num.asInt() < 0
						|| num.asInt() >= buffers.size() || used[num.asInt()]) {
					throw new SioParseException("illegal attachments");
				}
				used[num.asInt()] = true;
				return SioJson.NODES.binaryNode(buffers.get(num.asInt()));
			}
			ObjectNode copy = SioJson.NODES.objectNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				copy.set(property.getKey(), replace(property.getValue(), buffers, used));
			}
			return copy;
		}
		return node;
	}

}
