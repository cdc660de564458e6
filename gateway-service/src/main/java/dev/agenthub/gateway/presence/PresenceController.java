package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/presence?limit=100&after=<userId>} (any valid token):
 * {@code {"users":[{"userId":"ann","status":"away"}],"count":1,"next":null}} — the people
 * online on any gateway whom the caller may see ({@link PresenceVisibility}: admins,
 * services and users of {@code *} everyone; anyone the people of every workspace —
 * admins, users of {@code *} — who are announced to everyone on {@code broadcast}; an
 * agent its workspace's people; a user the people sharing one of its workspaces), by user
 * id, one page at a time. {@code count} is how many the caller may see in all;
 * {@code next} the {@code after} of the next page, or {@code null}.
 * <p>
 * Listing everyone online walks every online user in the store, so a node reads it at
 * most once per presence interval ({@code hub.gateway.presence-interval}, as stale as
 * announcements may be), however many ask meanwhile: requests share the read in flight
 * and the snapshot it made. Only what a caller may see is filtered per request.
 */
@RestController
class PresenceController {

	/** Default and largest page. */
	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	/** The latest snapshot, shared for an interval; a failed read is not kept. */
	private final Mono<Snapshot> snapshot;

	PresenceController(PresenceService presence, PresenceDirectory directory, GatewayProperties properties,
			GatewayMetrics metrics) {
		Duration maxAge = properties.presenceInterval();
		this.snapshot = Mono.defer(() -> {
			long start = System.nanoTime();
			return presence.online()
				.flatMap((online) -> directory.workspacesOf(online.keySet())
					.map((memberships) -> new Snapshot(new TreeMap<>(online), memberships)))
				.doOnSuccess((read) -> metrics.presenceListed(Duration.ofNanos(System.nanoTime() - start)));
		}).cache((value) -> maxAge, (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	@GetMapping("/api/presence")
	Mono<OnlineUsers> online(@RequestParam(name = "limit", required = false) Integer limit,
			@RequestParam(name = "after", required = false) String after) {
		int pageSize = (limit == null) ? DEFAULT_LIMIT : limit;
		if (pageSize < 1 || pageSize > MAX_LIMIT) {
			return Mono.error(ContractViolation.badRequest("limit must be between 1 and " + MAX_LIMIT));
		}
		return CurrentPrincipal.get()
			.flatMap((viewer) -> this.snapshot.map((snapshot) -> page(visible(viewer, snapshot), pageSize, after)));
	}

	private static TreeMap<String, String> visible(HubPrincipal viewer, Snapshot snapshot) {
		if (PresenceVisibility.seesEveryone(viewer)) {
			return snapshot.online();
		}
		TreeMap<String, String> visible = new TreeMap<>();
		snapshot.online().forEach((userId, status) -> {
			if (PresenceVisibility.sees(viewer, snapshot.memberships().get(userId))) {
				visible.put(userId, status);
			}
		});
		return visible;
	}

	private static OnlineUsers page(TreeMap<String, String> visible, int limit, String after) {
		Map<String, String> rest = (after == null) ? visible : visible.tailMap(after, false);
		List<UserStatus> users = new ArrayList<>(Math.min(limit, rest.size()));
		String next = null;
		for (Map.Entry<String, String> entry : rest.entrySet()) {
			if (users.size() == limit) {
				next = users.get(users.size() - 1).userId();
				break;
			}
			users.add(new UserStatus(entry.getKey(), entry.getValue()));
		}
		return new OnlineUsers(users, visible.size(), next);
	}

	/**
	 * Who was online when it was read, by user id, and the workspaces of each.
	 *
	 * @param online user id to status (not changed once made)
	 * @param memberships user id to workspaces
	 */
	private record Snapshot(TreeMap<String, String> online, Map<String, Set<String>> memberships) {

	}

	/**
	 * Who is online, as far as the caller may see.
	 *
	 * @param users this page's users, by id
	 * @param count how many the caller may see in all
	 * @param next the {@code after} of the next page, or {@code null} on the last
	 */
	record OnlineUsers(List<UserStatus> users, int count, String next) {

	}

	/**
	 * One user's status.
	 *
	 * @param userId the user
	 * @param status {@code online}, {@code away} or {@code busy}
	 */
	record UserStatus(String userId, String status) {

	}

}
