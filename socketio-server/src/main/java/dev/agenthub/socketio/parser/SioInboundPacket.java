package dev.agenthub.socketio.parser;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet.
 *
 * @param type the type
 * @param namespace the namespace ({@code "/"} when the packet names none)
 * @param id the ack id, or {@code null}
 * @param data the JSON payload, or {@code null} when there is none
 * @param attachments how many binary attachments follow (binary types only)
 * @param bytes its size on the wire: its text in UTF-8, and its attachments once added
 */
public record SioInboundPacket(SioPacketType type, String namespace, @Nullable Long id, @Nullable JsonNode data,
		int attachments, int bytes) {

	/** The packet with its attachments in place, and their bytes counted. */
	public SioInboundPacket withAttachments(JsonNode newData, long attachmentBytes) {
		return new SioInboundPacket(this.type, this.namespace, this.id, newData, 0,
				(int) Math.min(Integer.MAX_VALUE, this.bytes + attachmentBytes));
	}

}
