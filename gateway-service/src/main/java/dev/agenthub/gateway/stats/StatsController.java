package dev.agenthub.gateway.stats;

import java.util.Set;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.gateway.presence.PresenceVisibility;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.gateway.session.SessionRegistry;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.ConnectionServer;
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
 * first group only. Of a counted connection that belongs to workspaces the caller does
 * not see too (a user of {@code *}, a user of a shared workspace and another), only the
 * subscriptions to {@code workspace:} channels the caller sees count: how much of other
 * tenants it watches is not the caller's to know. It needs a valid token like every
 * {@code /api/} path.
 */
@RestController
class StatsController {

	private final SessionRegistry sessions;

	private final ConnectionServer<GatewaySession> connections;

	StatsController(SessionRegistry sessions, ConnectionServer<GatewaySession> connections) {
		this.sessions = sessions;
		this.connections = connections;
	}

	@GetMapping("/api/stats")
	Mono<Stats> stats() {
		return CurrentPrincipal.get().map(this::stats);
	}

	private Stats stats(HubPrincipal viewer) {
		if (PresenceVisibility.seesEveryone(viewer)) {
			// every open connection, those still to authenticate too (seed 002's
			// getClientsCount); the registry holds the authenticated ones only
			long authenticated = this.sessions.authenticated();
			return new Stats(Math.max(this.connections.connections().size(), authenticated), authenticated,
					this.sessions.subscriptions());
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
			// a connection of no other workspace than the viewer's: all its subscriptions
			// (not one of every workspace, whatever an odd viewer's own workspace is
			// named)
			boolean ours = !membership.contains(Claims.ALL_WORKSPACES)
					&& membership.stream().allMatch(viewer::maySeeWorkspace);
			for (var state : session.subscriptions().values()) {
				if (!state.implicit() && (ours || onVisibleWorkspace(viewer, state.channel()))) {
					subscriptions++;
				}
			}
		}
		return new Stats(clients, clients, subscriptions);
	}

	/** Whether a channel is the {@code workspace:} channel of one the viewer sees. */
	private static boolean onVisibleWorkspace(HubPrincipal viewer, String channel) {
		try {
			Channel parsed = Channel.parse(channel);
			return parsed.kind() == ChannelKind.WORKSPACE && viewer.maySeeWorkspace(parsed.id());
		}
		catch (ContractViolation ex) {
			return false;
		}
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
