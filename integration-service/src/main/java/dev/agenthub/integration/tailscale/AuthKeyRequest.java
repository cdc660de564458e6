package dev.agenthub.integration.tailscale;

import java.util.List;

/**
 * A request for a container's auth key.
 *
 * @param workspaceId the workspace the container serves (required)
 * @param repository the repository it works on, for the key's description
 * @param tags device tags; default {@code hub.tailscale.default-tags}
 * @param expirySeconds key lifetime; default {@code hub.tailscale.default-expiry} (1 h)
 * @param reusable whether the key may register more than one device; default false
 */
public record AuthKeyRequest(String workspaceId, String repository, List<String> tags, Long expirySeconds,
		Boolean reusable) {

}
