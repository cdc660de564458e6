package dev.agenthub.socketio;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An event a client emitted.
 *
 * @param name the event name
 * @param args the arguments; binary attachments are
 * {@link tools.jackson.databind.node.BinaryNode}s in their place
 * @param ack the acknowledgement the client waits for, or {@code null} if it asked for
 * none
 * @param bytes its size on the wire (its packet's text in UTF-8 and its attachments), for
 * limits and budgets in bytes
 */
public record SioEvent(String name, List<JsonNode> args, @Nullable Ack ack, int bytes) {

	/** Whether the client asked for an acknowledgement. */
	public boolean wantsAck() {
		return this.ack != null;
	}

}
