package dev.agenthub.contracts.message;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * A message a client sends on a raw JSON socket:
 * {@code {"type":"subscribe","id":7,"data":{...}}}. {@code payload} is accepted wherever
 * {@code data} is (seed 004's dialect); {@code id} is optional and echoed in replies.
 *
 * @param type the message type
 * @param id the client's correlation id, or {@code null}
 * @param data the message data; {@link NullNode} when absent
 */
public record ClientMessage(String type, JsonNode id, JsonNode data) {

	/**
	 * Parses a client frame.
	 * @param text the frame
	 * @return the message
	 * @throws ContractViolation saying precisely what is wrong with the frame
	 */
	public static ClientMessage parse(String text) {
		JsonNode root = HubJson.parse(text);
		if (root == null || !root.isObject()) {
			throw ContractViolation.badRequest("a message must be a JSON object");
		}
		JsonNode typeNode = root.get("type");
		if (typeNode == null || !typeNode.isString() || typeNode.asString().isEmpty()) {
			throw ContractViolation.badRequest("a message needs a string 'type'");
		}
		JsonNode data = root.get("data");
		if (data == null || data.isNull()) {
			data = root.get("payload");
		}
		JsonNode id = root.get("id");
		return new ClientMessage(typeNode.asString(), (id == null || id.isNull()) ? null : id,
				(data != null) ? data : NullNode.getInstance());
	}

	/** A required string field of {@code data}. */
	public String requireText(String field) {
		JsonNode node = this.data.get(field);
		if (node == null || !node.isString() || node.asString().isEmpty()) {
			throw ContractViolation.badRequest(this.type + ": data." + field + " is required (a string)");
		}
		return node.asString();
	}

	/** An optional string field of {@code data}, or {@code null}. */
	public String optionalText(String field) {
		JsonNode node = this.data.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw ContractViolation.badRequest(this.type + ": data." + field + " must be a string");
		}
		return node.asString();
	}

}
