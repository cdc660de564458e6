package dev.agenthub.agent.state;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A workspace's agent as stored ({@code agent} table) and served by the REST API.
 *
 * @param workspaceId the workspace
 * @param agentId the agent's id ({@code register.agentId}, else the token's subject)
 * @param sessionId its latest session
 * @param nodeId the agent-service instance that held that session
 * @param version the agent's version
 * @param status {@code connecting}, {@code connected}, {@code disconnected} or
 * {@code timeout}
 * @param lifecycle what the agent last reported: {@code created}, {@code starting},
 * {@code ready}, {@code start_error}, {@code shutting_down} or {@code off}; may be null
 * @param capabilities what it said it can do, comma-separated; may be null
 * @param firstConnectedAt its first registration
 * @param lastConnectedAt its latest registration
 * @param disconnectedAt when its latest session ended, or null while connected
 * @param lastHeartbeatAt when it was last heard from (written in batches)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentRecord(String workspaceId, String agentId, String sessionId, String nodeId, String version,
		String status, String lifecycle, String capabilities, Instant firstConnectedAt, Instant lastConnectedAt,
		Instant disconnectedAt, Instant lastHeartbeatAt) {

	/**
	 * Whether the agent runs {@code capability}: it listed it when it registered, or
	 * named no capabilities at all.
	 */
	public boolean offers(String capability) {
		return this.capabilities == null || List.of(this.capabilities.split(",")).contains(capability);
	}

}
