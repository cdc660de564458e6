package dev.agenthub.gateway.presence;

import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.support.auth.HubPrincipal;

/**
 * Who may see whom in presence and connection counts: admins, services and users of all
 * workspaces ({@code *}) see everyone; an agent sees the people of its workspace; a user
 * sees the people who share one of its workspaces. Someone whose only membership is
 * {@code *} (or unknown) shares no particular workspace, so only the first group sees it.
 */
public final class PresenceVisibility {

	private PresenceVisibility() {
	}

	/** Whether the viewer sees everyone. */
	public static boolean seesEveryone(HubPrincipal viewer) {
		return viewer.isAdmin() || viewer.has(Role.SERVICE)
				|| (!viewer.has(Role.AGENT) && viewer.workspaces().contains(Claims.ALL_WORKSPACES));
	}

	/**
	 * Whether the viewer sees someone belonging to the given workspaces.
	 * @param viewer who asks
	 * @param workspaces the other's workspaces, {@code null} when unknown
	 */
	public static boolean sees(HubPrincipal viewer, Set<String> workspaces) {
		if (seesEveryone(viewer)) {
			return true;
		}
		if (workspaces == null) {
			return false;
		}
		if (viewer.has(Role.AGENT)) {
			return viewer.workspace() != null && workspaces.contains(viewer.workspace());
		}
		for (String workspace : workspaces) {
			if (!Claims.ALL_WORKSPACES.equals(workspace) && viewer.workspaces().contains(workspace)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The workspaces a connection's principal belongs to, for counting it: an agent's
	 * one, a user's; {@code null} for admins and services (counted for everyone-viewers
	 * only).
	 */
	public static Set<String> membership(HubPrincipal principal) {
		if (principal == null || principal.isAdmin() || principal.has(Role.SERVICE)) {
			return null;
		}
		if (principal.has(Role.AGENT)) {
			return (principal.workspace() != null) ? Set.of(principal.workspace()) : null;
		}
		return principal.workspaces();
	}

}
