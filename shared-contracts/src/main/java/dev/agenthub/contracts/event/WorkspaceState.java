package dev.agenthub.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code workspace:state}: the workspace's agent connection and lifecycle.
 *
 * @param workspaceId the workspace
 * @param agentConnected whether its agent is connected
 * @param agentVersion the connected agent's version; optional
 * @param status the agent's connection status: {@code connecting}, {@code connected},
 * {@code disconnected} or {@code timeout}
 * @param lifecycle the agent's reported lifecycle: {@code created}, {@code starting},
 * {@code ready}, {@code start_error}, {@code shutting_down} or {@code off}; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceState(String workspaceId, Boolean agentConnected, String agentVersion, String status,
		String lifecycle) implements EventPayload {

	public WorkspaceState {
		Check.id(workspaceId, "workspaceId");
		Check.present(agentConnected, "agentConnected");
		Check.text(status, "status");
	}

}
