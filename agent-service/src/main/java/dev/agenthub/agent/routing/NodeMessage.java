package dev.agenthub.agent.routing;

import tools.jackson.databind.JsonNode;

/**
 * What one agent-service node asks another: close a replaced session, deliver a command,
 * cancel a task, open or close a terminal tab.
 *
 * @param kind {@link #REPLACE}, {@link #COMMAND}, {@link #CANCEL}, {@link #TAB_START},
 * {@link #TAB_STOP} or {@link #TAB_INPUT}
 * @param workspaceId the workspace whose agent it concerns
 * @param sessionId for {@link #REPLACE}: the session to close; else {@code null}
 * @param data for the others: the message's data for the agent
 */
public record NodeMessage(String kind, String workspaceId, String sessionId, JsonNode data) {

	/** Close the named session with 4009: a newer agent took its workspace. */
	public static final String REPLACE = "replace";

	/** Send {@code command} to the workspace's agent. */
	public static final String COMMAND = "command";

	/** Send {@code cancel} to the workspace's agent. */
	public static final String CANCEL = "cancel";

	/** Send {@code tab:start} to the workspace's agent. */
	public static final String TAB_START = "tab:start";

	/** Send {@code tab:stop} to the workspace's agent. */
	public static final String TAB_STOP = "tab:stop";

	/** Send {@code tab:input} to the workspace's agent. */
	public static final String TAB_INPUT = "tab:input";

}
