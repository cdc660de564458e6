package dev.agenthub.contracts.auth;

import java.util.Locale;

/** The roles a hub token may carry in its {@code roles} claim. */
public enum Role {

	/** A person using a browser; sees the workspaces in its {@code workspaces} claim. */
	USER,
	/** A person who may see and do everything. */
	ADMIN,
	/** A sidecar agent; acts only for the workspace in its {@code workspace} claim. */
	AGENT,
	/** A backend using the publish and integration APIs. */
	SERVICE;

	/** The claim value, e.g. {@code admin}. */
	public String claimValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The Spring Security authority for this role, e.g. {@code ROLE_ADMIN}. */
	public String authority() {
		return "ROLE_" + name();
	}

	/** The role for a claim value, or {@code null} when unknown. */
	public static Role fromClaim(String value) {
		for (Role role : values()) {
			if (role.claimValue().equalsIgnoreCase(value)) {
				return role;
			}
		}
		return null;
	}

}
