package dev.agenthub.socketio;

import tools.jackson.databind.JsonNode;

/**
 * Answers one client event that asked for an acknowledgement. Only the first call sends;
 * later calls are ignored. May be called from any thread, later.
 */
@FunctionalInterface
public interface Ack {

	/**
	 * Send the acknowledgement; {@link tools.jackson.databind.node.BinaryNode} arguments
	 * go as binary attachments.
	 */
	void send(JsonNode... args);

}
