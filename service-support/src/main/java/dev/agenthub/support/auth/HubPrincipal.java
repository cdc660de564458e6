package dev.agenthub.support.auth;

import java.util.List;
import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who a verified token speaks for.
 *
 * @param subject user id, agent id or service name ({@code sub})
 * @param roles the roles the token carries
 * @param workspaces workspaces a user may see ({@code *} for all)
 * @param workspace for an agent: the one workspace it serves, else {@code null}
 */
public record HubPrincipal(String subject, Set<Role> roles, Set<String> workspaces, String workspace) {

	public HubPrincipal {
		roles = Set.copyOf(roles);
		workspaces = Set.copyOf(workspaces);
	}

	/** Reads the hub claims of a verified JWT. */
	public static HubPrincipal from(Jwt jwt) {
		Set<Role> roles = new java.util.HashSet<>();
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
		return new HubPrincipal(jwt.getSubject(), roles, (workspaces != null) ? Set.copyOf(workspaces) : Set.of(),
				jwt.getClaimAsString(Claims.WORKSPACE));
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

	/** Whether this principal may publish through the server publish API. */
	public boolean mayPublish() {
		return isAdmin() || has(Role.SERVICE);
	}

}
