package dev.agenthub.agent.lease;

/**
 * A session's hold on its workspace.
 *
 * @param workspaceId the workspace
 * @param nodeId the agent-service instance holding the session
 * @param sessionId the session
 * @param fence the fencing token: larger for every newer lease of the workspace, so a
 * write of an older holder can be told from a newer one's
 */
public record Lease(String workspaceId, String nodeId, String sessionId, long fence) {

	/** The lease as stored: {@code node|session|fence}. */
	public String value() {
		return this.nodeId + "|" + this.sessionId + "|" + this.fence;
	}

	/** Reads a stored value; {@code null} for {@code null} or a malformed value. */
	public static Lease parse(String workspaceId, String value) {
		if (value == null) {
			return null;
		}
		String[] parts = value.split("\\|");
		if (parts.length != 3) {
			return null;
		}
		try {
			return new Lease(workspaceId, parts[0], parts[1], Long.parseLong(parts[2]));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
