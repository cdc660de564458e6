package dev.agenthub.contracts.event;

import java.util.Set;

/**
 * {@code agent_status}: an AI agent's state, as seed 002's clients show it.
 *
 * @param agentName the agent's name
 * @param state {@code idle}, {@code working} or {@code stopped}
 * @param currentTask what it works on; optional
 * @param progress 0 to 100; optional
 */
public record AgentStatus(String agentName, String state, String currentTask, Number progress) implements EventPayload {

	private static final Set<String> STATES = Set.of("idle", "working", "stopped");

	public AgentStatus {
		Check.id(agentName, "agentName");
		Check.oneOf(state, "state", STATES);
		if (progress != null) {
			Check.range(progress, "progress", 0, 100);
		}
	}

}
