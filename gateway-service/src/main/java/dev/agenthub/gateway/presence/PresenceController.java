package dev.agenthub.gateway.presence;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/presence} (any valid token): {@code {"users":[{"userId":"ann",
 * "status":"away"}],"count":1}}, the users online on any gateway, by user id.
 */
@RestController
class PresenceController {

	private final PresenceService presence;

	PresenceController(PresenceService presence) {
		this.presence = presence;
	}

	@GetMapping("/api/presence")
	Mono<OnlineUsers> online() {
		return this.presence.online()
			.map((users) -> users.entrySet()
				.stream()
				.map((entry) -> new UserStatus(entry.getKey(), entry.getValue()))
				.toList())
			.map((users) -> new OnlineUsers(users, users.size()));
	}

	/**
	 * Who is online.
	 *
	 * @param users the users, by id
	 * @param count how many
	 */
	record OnlineUsers(List<UserStatus> users, int count) {

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
