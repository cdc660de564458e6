package dev.agenthub.agent.integration;

import reactor.core.publisher.Mono;

/** What happens to a workspace's external resources when its agent goes {@code off}. */
@FunctionalInterface
public interface WorkspaceOffboarding {

	/** Releases the workspace's resources (e.g. its ephemeral Tailscale devices). */
	Mono<Void> offboard(String workspaceId);

}
