package dev.agenthub.contracts.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agenthub.contracts.error.ContractViolation;

/**
 * {@code workspace:state}: the workspace's agent connection and lifecycle, or its
 * container's state — both shapes seed 000 sends: the hub's own {@code {workspaceId,
 * agentConnected, agentVersion, status, lifecycle}}, a backend's container-shaped
 * {@code {workspaceId, containerId, containerStatus, containerIp}} and the seed's
 * {@code {workspaceId, agentConnected, agentVersion}}.
 *
 * @param workspaceId the workspace
 * @param agentConnected whether its agent is connected; optional for container states
 * @param agentVersion the connected agent's version; optional
 * @param status the agent's connection status: {@code connecting}, {@code connected},
 * {@code disconnected} or {@code timeout}; optional
 * @param lifecycle the agent's reported lifecycle: {@code created}, {@code starting},
 * {@code ready}, {@code start_error}, {@code shutting_down} or {@code off}; optional
 * @param containerId the workspace's container, {@code null} when it has none
 * @param containerStatus the container's status as the backend names it (e.g.
 * {@code running}, {@code stopped}); optional
 * @param containerIp the container's address, {@code null} when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceState(String workspaceId, Boolean agentConnected, String agentVersion, String status,
		String lifecycle, String containerId, String containerStatus, String containerIp) implements EventPayload {

	/** Longest container id, status or address accepted. */
	static final int MAX_CONTAINER_FIELD = 256;

	public WorkspaceState {
		Check.id(workspaceId, "workspaceId");
		if (agentConnected == null && status == null && containerStatus == null && containerId == null) {
			throw ContractViolation
				.badRequest("workspace:state needs agentConnected, status, containerId or containerStatus");
		}
		if (status != null) {
			Check.text(status, "status");
		}
		bounded(containerId, "containerId");
		bounded(containerStatus, "containerStatus");
		bounded(containerIp, "containerIp");
	}

	/** The agent-shaped state (no container fields). */
	public WorkspaceState(String workspaceId, Boolean agentConnected, String agentVersion, String status,
			String lifecycle) {
		this(workspaceId, agentConnected, agentVersion, status, lifecycle, null, null, null);
	}

	private static void bounded(String value, String field) {
		if (value != null && value.length() > MAX_CONTAINER_FIELD) {
			throw ContractViolation.badRequest(field + " is longer than " + MAX_CONTAINER_FIELD + " characters");
		}
	}

}
