package dev.agenthub.socketio;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The connection state recovery fields an official client adds to its CONNECT
 * {@code auth} when it reconnects after a transport loss: the private id ({@code pid})
 * the server gave on the previous CONNECT, and the last offset it saw (the last argument
 * of the last event that carried one). A handler that can replay what the client missed
 * answers {@link ConnectDecision#recovered}.
 *
 * @param pid the private session id of the previous connection
 * @param offset the last offset the client saw, or {@code null} if it saw none
 */
public record RecoveryRequest(String pid, String offset) {

	/** The recovery fields of a CONNECT payload, if it carries a {@code pid}. */
	public static Optional<RecoveryRequest> from(JsonNode auth) {
		if (auth == null || !auth.isObject()) {
			return Optional.empty();
		}
		JsonNode pid = auth.get("pid");
		if (pid == null || !pid.isString()) {
			return Optional.empty();
		}
		JsonNode offset = auth.get("offset");
		return Optional.of(new RecoveryRequest(pid.stringValue(),
				(offset != null && offset.isString()) ? offset.stringValue() : null));
	}

}
