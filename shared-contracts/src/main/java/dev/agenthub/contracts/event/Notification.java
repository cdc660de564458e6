package dev.agenthub.contracts.event;

import java.util.Set;

/**
 * {@code notification}: a message for people.
 *
 * @param level {@code info}, {@code success}, {@code warning} or {@code error}
 * @param message the text
 * @param userId the one user it is for; {@code null} for everyone
 */
public record Notification(String level, String message, String userId) implements EventPayload {

	private static final Set<String> LEVELS = Set.of("info", "success", "warning", "error");

	public Notification {
		Check.oneOf(level, "level", LEVELS);
		Check.text(message, "message");
		if (userId != null) {
			Check.id(userId, "userId");
		}
	}

}
