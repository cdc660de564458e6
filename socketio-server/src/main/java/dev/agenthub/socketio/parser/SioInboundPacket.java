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
 */
public record SioInboundPacket(SioPacketType type, String namespace, @Nullable Long id, @Nullable JsonNode data,
		int attachments) {

	public SioInboundPacket withData(JsonNode newData) {
		return new SioInboundPacket(this.type, this.namespace, this.id, newData, 0);
	}

}
