package dev.agenthub.agentclient;

import java.util.Collection;

import dev.agenthub.contracts.message.MessageTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's JSON encoding: one shared, thread-safe mapper; every message is encoded
 * once.
 */
final class AgentJson {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private AgentJson() {
	}

	static JsonNode toNode(Object data) {
		if (data == null) {
			return MAPPER.createObjectNode();
		}
		if (data instanceof JsonNode node) {
			return node;
		}
		return MAPPER.valueToTree(data);
	}

	static String message(String type, JsonNode data) {
		ObjectNode message = MAPPER.createObjectNode();
		message.put("type", type);
		message.set("data", data);
		return MAPPER.writeValueAsString(message);
	}

	static String registerMessage(AgentClientConfig config, Collection<String> tasks) {
		ObjectNode data = MAPPER.createObjectNode();
		data.put("workspaceId", config.workspaceId());
		data.put("version", config.version());
		ArrayNode capabilities = data.putArray("capabilities");
		config.capabilities().forEach(capabilities::add);
		if (config.agentId() != null) {
			data.put("agentId", config.agentId());
		}
		if (tasks != null) {
			ArrayNode list = data.putArray("tasks");
			tasks.forEach(list::add);
		}
		return message(MessageTypes.REGISTER, data);
	}

}
