package dev.agenthub.gateway.presence;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * Which workspaces each person present on the hub belongs to, so that {@code GET
 * /api/presence} shows a viewer only the people of its own workspaces
 * ({@link PresenceVisibility}).
 * <p>
 * Guarantees, for every implementation:
 * <ul>
 * <li>{@link #remember} replaces a user's workspaces with those of its latest
 * authenticated connection (a narrower new token narrows them at once).</li>
 * <li>Shared by every gateway node of the engine (memory: one node).</li>
 * <li>Bounded: an entry lives {@link #TTL} after its last {@link #remember}; the memory
 * implementation also keeps at most a fixed number of users, forgetting the least
 * recently remembered.</li>
 * <li>A user with no entry is unknown: {@link #workspacesOf} leaves it out, and callers
 * treat it as visible to admins, services and users of {@code *} only.</li>
 * </ul>
 */
public interface PresenceDirectory {

	/** How long an entry lives after it was last remembered. */
	java.time.Duration TTL = java.time.Duration.ofDays(7);

	/**
	 * Records a user's workspaces.
	 * @param userId the user
	 * @param workspaces its token's workspaces; {@code *} for all (an admin, or a user
	 * whose token names {@code *}), who is seen by everyone
	 */
	Mono<Void> remember(String userId, Set<String> workspaces);

	/**
	 * The workspaces of the given users that are known.
	 * @param userIds the users
	 * @return user id to workspaces, for known users only
	 */
	Mono<Map<String, Set<String>>> workspacesOf(Collection<String> userIds);

}
