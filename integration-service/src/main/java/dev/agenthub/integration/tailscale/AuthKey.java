package dev.agenthub.integration.tailscale;

import java.util.List;

/**
 * A created auth key: the secret is in this answer only, the hub never stores it.
 *
 * @param id the key's id (to revoke it)
 * @param key the secret, {@code tskey-auth-...}
 * @param expiresAt when it expires (ISO-8601)
 * @param tags the tags devices registered with it get
 * @param hostname the host name the container should register as, so offboarding finds it
 * @param ephemeral always true: devices vanish when they go offline
 * @param reusable whether it may register more than one device
 */
public record AuthKey(String id, String key, String expiresAt, List<String> tags, String hostname, boolean ephemeral,
		boolean reusable) {

	// The secret never reaches a log through this record.
	@Override
	public String toString() {
		return "AuthKey[id=" + this.id + ", expiresAt=" + this.expiresAt + ", tags=" + this.tags + "]";
	}

}
