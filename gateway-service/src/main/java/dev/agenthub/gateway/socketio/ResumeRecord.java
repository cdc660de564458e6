package dev.agenthub.gateway.socketio;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a disconnected Socket.IO socket leaves for its reconnect: whose it was, where each
 * of its channels stood, and the order of the last events sent to it (so the offset the
 * client reports tells how many of them it got). Each {@link ResumeStore} owns how it
 * keeps one.
 *
 * @param subject the user whose socket it was
 * @param clientId its client id
 * @param socketId its socket id, or {@code null}
 * @param channels where each of its channels stood when it closed
 * @param recent the last events sent ({@code channel@offset}), oldest first
 * @param complete whether {@code recent} holds every event ever sent to the socket
 */
public record ResumeRecord(String subject, String clientId, @Nullable String socketId, List<Position> channels,
		List<String> recent, boolean complete) {

	public ResumeRecord {
		channels = List.copyOf(channels);
		recent = List.copyOf(recent);
	}

	/**
	 * One channel of the socket.
	 *
	 * @param channel the channel
	 * @param implicit whether the gateway subscribed it (its workspaces), not the client
	 * @param epoch the channel's epoch
	 * @param offset the last offset sent on it
	 */
	public record Position(String channel, boolean implicit, String epoch, long offset) {

	}

}
