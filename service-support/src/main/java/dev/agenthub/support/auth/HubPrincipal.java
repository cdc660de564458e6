package dev.agenthub.support.auth;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who a verified token speaks for, and until when. Only what authorization needs is kept
 * (never the decoded token itself).
 *
 * @param subject user id, agent id or service name ({@code sub})
 * @param roles the roles the token carries
 * @param workspaces workspaces a user may see ({@code *} for all)
 * @param workspace for an agent: the one workspace it serves, else {@code null}
 * @param exec workspaces in which a user may run commands and upload files (the
 * {@code exec} claim), or {@code null} when the token has none: then the user's
 * {@code workspaces}
 * @param expiresAt when the token expires ({@code exp}); {@code null} only for principals
 * not made from a verified token
 */
public record HubPrincipal(String subject, Set<Role> roles, Set<String> workspaces, String workspace, Set<String> exec,
		Instant expiresAt) {

	public HubPrincipal {
		roles = Set.copyOf(roles);
		workspaces = Set.copyOf(workspaces);
		exec = (exec != null) ? Set.copyOf(exec) : null;
	}

	/**
	 * A principal without an {@code exec} claim or expiry.
	 * @param subject {@code sub}
	 * @param roles the roles
	 * @param workspaces a user's workspaces
	 * @param workspace an agent's workspace, or {@code null}
	 */
	public HubPrincipal(String subject, Set<Role> roles, Set<String> workspaces, String workspace) {
		this(subject, roles, workspaces, workspace, null, null);
	}

	/** Reads the hub claims of a verified JWT. */
	public static HubPrincipal from(Jwt jwt) {
		Set<Role> roles = new HashSet<>();
		List<String> roleClaims = jwt.getClaimAsStringList(Claims.ROLES);
		if (roleClaims != null) {
			for (String claim : roleClaims) {
				Role role = Role.fromClaim(claim);
				if (role != null) {
					roles.add(role);
				}
			}
		}
		List<String> workspaces = jwt.getClaimAsStringList(Claims.WORKSPACES);
		List<String> exec = jwt.hasClaim(Claims.EXEC) ? jwt.getClaimAsStringList(Claims.EXEC) : null;
		return new HubPrincipal(jwt.getSubject(), roles, (workspaces != null) ? Set.copyOf(workspaces) : Set.of(),
				jwt.getClaimAsString(Claims.WORKSPACE), (exec != null) ? Set.copyOf(exec) : null, jwt.getExpiresAt());
	}

	public boolean has(Role role) {
		return this.roles.contains(role);
	}

	public boolean isAdmin() {
		return has(Role.ADMIN);
	}

	/** Whether this principal may see the workspace (admins and services see all). */
	public boolean maySeeWorkspace(String workspaceId) {
		if (isAdmin() || has(Role.SERVICE)) {
			return true;
		}
		if (has(Role.AGENT)) {
			return workspaceId.equals(this.workspace);
		}
		return this.workspaces.contains(Claims.ALL_WORKSPACES) || this.workspaces.contains(workspaceId);
	}

	/**
	 * Whether this principal may run commands and upload files in the workspace
	 * ("watching is not driving"): admins and services anywhere; users where they may see
	 * the workspace and, when the token has an {@code exec} claim, only in the workspaces
	 * it lists ({@code *} for all of theirs); agents in their own workspace.
	 */
	public boolean mayExecIn(String workspaceId) {
		if (isAdmin() || has(Role.SERVICE)) {
			return true;
		}
		if (!maySeeWorkspace(workspaceId)) {
			return false;
		}
		if (has(Role.AGENT)) {
			return true;
		}
		return this.exec == null || this.exec.contains(Claims.ALL_WORKSPACES) || this.exec.contains(workspaceId);
	}

	/** Whether this principal may publish through the server publish API. */
	public boolean mayPublish() {
		return isAdmin() || has(Role.SERVICE);
	}

	/**
	 * Whether the token has expired.
	 * @param now the current time
	 * @return {@code false} for a principal without expiry
	 */
	public boolean expiredAt(Instant now) {
		return this.expiresAt != null && !now.isBefore(this.expiresAt);
	}

}
