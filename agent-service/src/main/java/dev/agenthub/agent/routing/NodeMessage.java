package dev.agenthub.agent.routing;

import tools.jackson.databind.JsonNode;

/**
 * What one agent-service node asks another: close a replaced session, deliver a command,
 * cancel a task.
 *
 * @param kind {@link #REPLACE}, {@link #COMMAND} or {@link #CANCEL}
 * @param workspaceId the workspace whose agent it concerns
 * @param sessionId for {@link #REPLACE}: the session to close; else {@code null}
 * @param data for {@link #COMMAND}/{@link #CANCEL}: the message's data for the agent
 */
public record NodeMessage(String kind, String workspaceId, String sessionId, JsonNode data) {

	/** Close the named session with 4009: a newer agent took its workspace. */
	public static final String REPLACE = "replace";

	/** Send {@code command} to the workspace's agent. */
	public static final String COMMAND = "command";

	/** Send {@code cancel} to the workspace's agent. */
	public static final String CANCEL = "cancel";

}
