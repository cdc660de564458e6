package dev.agenthub.contracts.event;

import java.util.Set;

/**
 * {@code user_presence}: a user's presence changed.
 *
 * @param userId the user
 * @param status {@code online}, {@code away}, {@code busy} or {@code offline}
 */
public record UserPresence(String userId, String status) implements EventPayload {

	/** The presence states. */
	public static final Set<String> STATES = Set.of("online", "away", "busy", "offline");

	public UserPresence {
		Check.id(userId, "userId");
		Check.oneOf(status, "status", STATES);
	}

}
