package dev.agenthub.agent.events;

import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import tools.jackson.databind.JsonNode;

/**
 * Which events an agent may report (on its workspace channel), and their validation. An
 * AI agent's {@code agent:output}, {@code agent:status} and {@code agent:context} also
 * reach {@code agent:{agentId}} ({@link AgentChannelRouting}); {@code workspace:updated}
 * (seed 004) goes to the workspace's channel like every other agent event.
 */
public final class AgentEvents {

	/** Event types agents publish. */
	public static final Set<String> TYPES = Set.of(EventType.TAB_STARTED.wireName(), EventType.TAB_OUTPUT.wireName(),
			EventType.TAB_STOPPED.wireName(), EventType.GIT_STATUS.wireName(), EventType.STATS.wireName(),
			EventType.TAILSCALE_STATUS.wireName(), EventType.STARTUP_PROGRESS.wireName(),
			EventType.CONTAINER_STATUS.wireName(), EventType.REPOSITORY_STATE.wireName(),
			EventType.AGENT_OUTPUT.wireName(), EventType.AGENT_STATUS_EVENT.wireName(),
			EventType.AGENT_CONTEXT.wireName(), EventType.WORKSPACE_UPDATED.wireName());

	private AgentEvents() {
	}

	/**
	 * Checks an agent's event. Its data may name no other workspace than the agent's own:
	 * seed 000's browsers, which get every event without its channel, tell workspaces
	 * apart by the {@code workspaceId} in the data.
	 * @param type the event's type
	 * @param data its data
	 * @param workspaceId the workspace the agent serves
	 * @throws ContractViolation naming what is wrong
	 */
	public static void validate(String type, JsonNode data, String workspaceId) {
		if (!TYPES.contains(type)) {
			throw ContractViolation.badRequest("unknown message type '" + type + "' (agents may send register, "
					+ "heartbeat, ping, lifecycle, output, status and the events " + TYPES + ")");
		}
		HubJson.validate(type, data);
		JsonNode named = data.get("workspaceId");
		if (named != null && !named.isNull() && !workspaceId.equals(named.asString(null))) {
			throw new ContractViolation(ErrorCode.FORBIDDEN,
					type + ": an agent reports for its own workspace " + workspaceId + " only");
		}
	}

}
