package dev.agenthub.agent.upload;

import dev.agenthub.agent.session.AgentRegistry;
import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.contracts.message.ServerMessage;
import tools.jackson.databind.JsonNode;

/**
 * The one place uploads touch the per-connection code: sending a message to the agent of
 * a workspace connected to this node.
 */
class AgentLink {

	private final AgentRegistry registry;

	AgentLink(AgentRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Sends {@code {"type": type, "data": data}} to the workspace's agent on this node.
	 * @return {@code false} when no registered, open agent of that workspace is here
	 */
	boolean send(String workspaceId, String type, JsonNode data) {
		AgentSession session = this.registry.forWorkspace(workspaceId);
		if (session == null || !session.isRegistered() || session.connection().isClosed()) {
			return false;
		}
		session.connection().send(ServerMessage.of(type, null, data));
		return true;
	}

}
