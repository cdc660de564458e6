package dev.agenthub.gateway.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.support.auth.CurrentPrincipal;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/presence?limit=100&after=<userId>} (any valid token):
 * {@code {"users":[{"userId":"ann","status":"away"}],"count":1,"next":null}} — the people
 * online on any gateway whom the caller may see ({@link PresenceVisibility}: admins and
 * services everyone, an agent its workspace's people, a user the people sharing one of
 * its workspaces), by user id, one page at a time. {@code count} is how many the caller
 * may see in all; {@code next} the {@code after} of the next page, or {@code null}.
 */
@RestController
class PresenceController {

	/** Default and largest page. */
	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	private final PresenceService presence;

	private final PresenceDirectory directory;

	PresenceController(PresenceService presence, PresenceDirectory directory) {
		this.presence = presence;
		this.directory = directory;
	}

	@GetMapping("/api/presence")
	Mono<OnlineUsers> online(@RequestParam(name = "limit", required = false) Integer limit,
			@RequestParam(name = "after", required = false) String after) {
		int pageSize = (limit == null) ? DEFAULT_LIMIT : limit;
		if (pageSize < 1 || pageSize > MAX_LIMIT) {
			return Mono.error(ContractViolation.badRequest("limit must be between 1 and " + MAX_LIMIT));
		}
		return CurrentPrincipal.get()
			.flatMap((viewer) -> this.presence.online()
				.flatMap((online) -> visible(viewer, new TreeMap<>(online)))
				.map((visible) -> page(visible, pageSize, after)));
	}

	private Mono<TreeMap<String, String>> visible(HubPrincipal viewer, TreeMap<String, String> online) {
		if (PresenceVisibility.seesEveryone(viewer)) {
			return Mono.just(online);
		}
		return this.directory.workspacesOf(online.keySet()).map((memberships) -> {
			TreeMap<String, String> visible = new TreeMap<>();
			online.forEach((userId, status) -> {
				Set<String> workspaces = memberships.get(userId);
				if (PresenceVisibility.sees(viewer, workspaces)) {
					visible.put(userId, status);
				}
			});
			return visible;
		});
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
