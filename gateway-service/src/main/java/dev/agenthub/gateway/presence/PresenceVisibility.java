package dev.agenthub.gateway.presence;

import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.support.auth.HubPrincipal;

/**
 * Who may see whom in presence and connection counts, the same people who hear of them in
 * announcements ({@link PresenceService}, {@code presence-audience=workspaces}):
 * <ul>
 * <li>admins, services and users of all workspaces ({@code *}) see everyone;</li>
 * <li>a person of every workspace — an admin, or a user whose token names {@code *} —
 * shares each one, so everyone sees it: its changes go to {@code broadcast}, which every
 * connection is on (a user, an agent, even a token of no workspace);</li>
 * <li>anyone else is seen by an agent of one of its workspaces and by a user sharing one
 * of its workspaces, and by nobody else: a user of {@code [a]} never sees a user of
 * {@code [b]} only.</li>
 * </ul>
 * Someone whose workspaces are unknown (no directory entry) is seen by the first group
 * only.
 */
public final class PresenceVisibility {

	/** The membership of a person of every workspace. */
	private static final Set<String> EVERY_WORKSPACE = Set.of(Claims.ALL_WORKSPACES);

	private PresenceVisibility() {
	}

	/** Whether the viewer sees everyone. */
	public static boolean seesEveryone(HubPrincipal viewer) {
		return viewer.isAdmin() || viewer.has(Role.SERVICE)
				|| (!viewer.has(Role.AGENT) && viewer.workspaces().contains(Claims.ALL_WORKSPACES));
	}

	/**
	 * Whether a person belongs to every workspace (an admin, or a user of {@code *}): it
	 * is announced to everyone and seen by everyone.
	 */
	public static boolean sharesEveryWorkspace(HubPrincipal person) {
		return person.isAdmin() || (!person.has(Role.AGENT) && person.workspaces().contains(Claims.ALL_WORKSPACES));
	}

	/**
	 * Whether the viewer sees someone belonging to the given workspaces.
	 * @param viewer who asks
	 * @param workspaces the other's workspaces ({@code *} for all), {@code null} when
	 * unknown
	 */
	public static boolean sees(HubPrincipal viewer, Set<String> workspaces) {
		if (seesEveryone(viewer)) {
			return true;
		}
		if (workspaces == null) {
			return false;
		}
		if (workspaces.contains(Claims.ALL_WORKSPACES)) {
			// announced on broadcast, to every connection: nothing the viewer is not told
			return true;
		}
		if (viewer.has(Role.AGENT)) {
			return viewer.workspace() != null && workspaces.contains(viewer.workspace());
		}
		for (String workspace : workspaces) {
			if (viewer.workspaces().contains(workspace)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The workspaces a principal belongs to, for showing or counting it: {@code *} for a
	 * person of every workspace (an admin, a user of {@code *}), a user's, an agent's
	 * one; {@code null} for services and agents of no workspace (seen by everyone-viewers
	 * only).
	 */
	public static Set<String> membership(HubPrincipal principal) {
		if (principal == null) {
			return null;
		}
		if (principal.isAdmin()) {
			return EVERY_WORKSPACE;
		}
		if (principal.has(Role.SERVICE)) {
			return null;
		}
		if (principal.has(Role.AGENT)) {
			return (principal.workspace() != null) ? Set.of(principal.workspace()) : null;
		}
		return sharesEveryWorkspace(principal) ? EVERY_WORKSPACE : principal.workspaces();
	}

	/**
	 * The workspaces to remember for a person ({@link PresenceDirectory}): {@code *} for
	 * a person of every workspace, else its token's.
	 */
	static Set<String> workspacesOf(HubPrincipal person) {
		return sharesEveryWorkspace(person) ? EVERY_WORKSPACE : person.workspaces();
	}

}
