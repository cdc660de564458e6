package dev.agenthub.integration.provision;

/**
 * The optional body of a provisioning call.
 *
 * @param repository the repository the container works on, for the Tailscale key's
 * description
 * @param agentId the agent id for the token ({@code sub}); default
 * {@code agent-<workspace>}
 */
public record ProvisionRequest(String repository, String agentId) {

	static final ProvisionRequest NONE = new ProvisionRequest(null, null);

}
