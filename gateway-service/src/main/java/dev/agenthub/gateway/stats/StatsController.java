package dev.agenthub.gateway.stats;

import dev.agenthub.gateway.session.SessionRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stats}: this node's {@code {clients, authenticatedClients,
 * subscriptions}} (seed 002's counts; subscriptions are the explicit ones). It needs a
 * valid token like every {@code /api/} path: the dashboards that poll it run as a
 * signed-in user, and the counts, though not secret, tell outsiders how busy the hub is.
 */
@RestController
class StatsController {

	private final SessionRegistry sessions;

	StatsController(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@GetMapping("/api/stats")
	Stats stats() {
		return new Stats(this.sessions.size(), this.sessions.authenticated(), this.sessions.subscriptions());
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
