package dev.agenthub.gateway.stats;

import java.util.Set;

import dev.agenthub.gateway.presence.PresenceVisibility;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.gateway.session.SessionRegistry;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/stats}: this node's {@code {clients, authenticatedClients,
 * subscriptions}} (seed 002's counts; subscriptions are the explicit ones), counting only
 * the connections the caller may see ({@link PresenceVisibility}): admins, services and
 * users of {@code *} every connection; an agent those of its workspace; a user those of
 * people and agents sharing one of its workspaces; everyone those of the people of every
 * workspace (admins, users of {@code *}), as {@code GET /api/presence} lists them.
 * Connections not yet authenticated, and services', belong to nobody and count for the
 * first group only. It needs a valid token like every {@code /api/} path.
 */
@RestController
class StatsController {

	private final SessionRegistry sessions;

	StatsController(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@GetMapping("/api/stats")
	Mono<Stats> stats() {
		return CurrentPrincipal.get().map(this::stats);
	}

	private Stats stats(HubPrincipal viewer) {
		if (PresenceVisibility.seesEveryone(viewer)) {
			return new Stats(this.sessions.size(), this.sessions.authenticated(), this.sessions.subscriptions());
		}
		long clients = 0;
		long subscriptions = 0;
		for (GatewaySession session : this.sessions.sessions()) {
			HubPrincipal principal = session.principal();
			Set<String> membership = PresenceVisibility.membership(principal);
			if (principal == null || membership == null || !PresenceVisibility.sees(viewer, membership)) {
				continue;
			}
			clients++;
			for (var state : session.subscriptions().values()) {
				if (!state.implicit()) {
					subscriptions++;
				}
			}
		}
		return new Stats(clients, clients, subscriptions);
	}

	/**
	 * The counts.
	 *
	 * @param clients open connections
	 * @param authenticatedClients authenticated connections
	 * @param subscriptions explicit subscriptions of all connections
	 */
	record Stats(long clients, long authenticatedClients, long subscriptions) {

	}

}
