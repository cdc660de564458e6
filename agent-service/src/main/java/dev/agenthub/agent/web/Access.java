package dev.agenthub.agent.web;

import dev.agenthub.contracts.auth.OnBehalfOf;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import reactor.core.publisher.Mono;

/**
 * Who may use the REST API for a workspace: whoever may see it reads; whoever may run
 * commands there ({@link HubPrincipal#mayExecIn}: the token's {@code exec} claim) drives.
 */
public final class Access {

	/**
	 * Header with which a service (the gateway) names the user it acts for, after it
	 * checked that user's access itself.
	 */
	public static final String ON_BEHALF_OF = OnBehalfOf.HEADER;

	private Access() {
	}

	/** The caller, when it may see the workspace; else {@code forbidden}. */
	static Mono<HubPrincipal> workspace(String workspaceId) {
		return CurrentPrincipal.get()
			.flatMap((principal) -> principal.maySeeWorkspace(workspaceId) ? Mono.just(principal)
					: Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
							principal.subject() + " may not see workspace " + workspaceId)));
	}

	/**
	 * The caller, when it may run commands in the workspace; else {@code forbidden}.
	 */
	static Mono<HubPrincipal> exec(String workspaceId) {
		return workspace(workspaceId).flatMap((principal) -> principal.mayExecIn(workspaceId) ? Mono.just(principal)
				: Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						principal.subject() + " may watch but not run commands in workspace " + workspaceId)));
	}

	/**
	 * Whether the caller is a service (or admin) acting for the user it names: then the
	 * caller checked that user's rights, which this service cannot (it never sees the
	 * user's token).
	 */
	static boolean actsForUser(HubPrincipal principal, String onBehalfOf) {
		return principal.mayPublish() && onBehalfOf != null && !onBehalfOf.isBlank();
	}

	/**
	 * Who a request is for: the caller, or {@code service/user} for a service acting for
	 * a user.
	 */
	public static String requester(HubPrincipal principal, String onBehalfOf) {
		if (actsForUser(principal, onBehalfOf)) {
			String user = (onBehalfOf.length() > 64) ? onBehalfOf.substring(0, 64) : onBehalfOf;
			return principal.subject() + "/" + user;
		}
		return principal.subject();
	}

}
