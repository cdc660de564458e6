package dev.agenthub.integration.provision;

import java.util.List;
import java.util.Map;

/**
 * What a new container needs, in one answer: {@link #env()} is ready to merge into the
 * container's environment; the other fields say where each value came from.
 *
 * @param workspaceId the workspace
 * @param env {@code TAILSCALE_AUTHKEY}, {@code TAILSCALE_HOSTNAME},
 * {@code SESSION_HUB_URL}, {@code HUB_AGENT_URL}, {@code HUB_AGENT_TOKEN},
 * {@code HUB_AGENT_WORKSPACE_ID}, {@code HUB_AGENT_ID}, {@code CHROME_PATH},
 * {@code CDP_HOST}, {@code CDP_PORT}, {@code CDP_SHIM_URL}, {@code CDP_SHIM_SHA256} (each
 * only when known)
 * @param tailscale the auth key's id, expiry, tags and host name, or {@code null} when
 * Tailscale is not configured
 * @param agent the agent token's id, workspace, expiry and URLs
 * @param cdpShim the shim release to install, or {@code null} when the registry is empty
 * @param install the shell commands that install the shim, checksum verified
 * @param warnings what is missing and why (never a secret)
 */
public record Provisioning(String workspaceId, Map<String, String> env, TailscaleGrant tailscale, AgentGrant agent,
		ShimGrant cdpShim, List<String> install, List<String> warnings) {

	/**
	 * The container's Tailscale auth key (the secret itself is only in {@code env}).
	 *
	 * @param keyId the key's id (to revoke it)
	 * @param expiresAt its expiry
	 * @param tags the tags the device gets
	 * @param hostname the host name the container registers as
	 * @param ephemeral always true
	 * @param reusable always false: single use
	 */
	public record TailscaleGrant(String keyId, String expiresAt, List<String> tags, String hostname, boolean ephemeral,
			boolean reusable) {

	}

	/**
	 * The agent's connection (the token itself is only in {@code env}).
	 *
	 * @param agentId the token's {@code sub}
	 * @param workspaceId the token's {@code workspace}
	 * @param expiresAt the token's expiry
	 * @param sessionHubUrl agent-service's base URL (Socket.IO namespace {@code /agent})
	 * @param webSocketUrl the raw agent WebSocket
	 */
	public record AgentGrant(String agentId, String workspaceId, String expiresAt, String sessionHubUrl,
			String webSocketUrl) {

	}

	/**
	 * The CDP shim release a container installs.
	 *
	 * @param version its version
	 * @param url its pinned download URL
	 * @param sha256 its SHA-256, lowercase hex
	 * @param size its size in bytes
	 */
	public record ShimGrant(String version, String url, String sha256, long size) {

	}

}
