package dev.agenthub.agentclient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link AgentClient}; build with {@link AgentClient#builder()}, which
 * holds the defaults.
 *
 * @param uri the agent endpoint, default {@code ws://localhost:8081/agent/ws}
 * @param token the agent JWT
 * @param tokenInQuery send the token as {@code ?token=} instead of an
 * {@code Authorization: Bearer} header (default {@code false})
 * @param workspaceId the workspace the agent serves
 * @param agentId optional agent id sent in {@code register}, or {@code null}
 * @param version the agent's version
 * @param capabilities capabilities sent in {@code register}
 * @param backoffInitial first reconnect delay cap (default 1 s)
 * @param backoffMax largest reconnect delay (default 30 s)
 * @param backoffResetAfter a connection registered at least this long resets the backoff
 * (default 10 s)
 * @param defaultHeartbeatInterval used when {@code registered} carries no interval (10 s)
 * @param outboundMaxMessages outbound queue bound in messages (default 4096)
 * @param outboundMaxBytes outbound queue bound in bytes of text (default 1 MiB)
 * @param coalesceLinger how long output waits for more output of the same tab/task (5 ms)
 * @param coalesceMaxChars largest coalesced output chunk in characters (default 8192)
 * @param maxFramePayload largest frame accepted, and largest event sent (default 64 KiB,
 * the server's limit)
 * @param connectTimeout TCP connect timeout (default 10 s)
 * @param stopTimeout how long {@code stop()} waits for the last events to leave (5 s)
 * @param recentTaskIds how many task ids are remembered to drop repeats (default 1024)
 * @param maxMessagesPerSecond outbound frames per second per connection, below the
 * server's limit (default 80; 0 disables)
 * @param messageBurst outbound frames that may leave at once (default 160)
 * @param registerTimeout a connection not registered within this time is dropped and
 * retried (default 10 s)
 * @param readIdleTimeout a connection that received nothing (not even a WebSocket ping)
 * for this long is considered dead and dropped; {@code null} (the default) disables the
 * check
 */
public record AgentClientConfig(URI uri, String token, boolean tokenInQuery, String workspaceId, String agentId,
		String version, List<String> capabilities, Duration backoffInitial, Duration backoffMax,
		Duration backoffResetAfter, Duration defaultHeartbeatInterval, int outboundMaxMessages, long outboundMaxBytes,
		Duration coalesceLinger, int coalesceMaxChars, int maxFramePayload, Duration connectTimeout,
		Duration stopTimeout, int recentTaskIds, int maxMessagesPerSecond, int messageBurst, Duration registerTimeout,
		Duration readIdleTimeout) {

	/** The agent service's default endpoint. */
	public static final URI DEFAULT_URI = URI.create("ws://localhost:8081/agent/ws");

	public AgentClientConfig {
		Objects.requireNonNull(uri, "uri");
		if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
			throw new IllegalArgumentException("agent hub URL must be ws:// or wss://, got " + uri);
		}
		if (workspaceId == null || workspaceId.isBlank()) {
			throw new IllegalArgumentException("workspaceId is required");
		}
		if (version == null || version.isBlank()) {
			throw new IllegalArgumentException("version is required");
		}
		capabilities = (capabilities != null) ? List.copyOf(capabilities) : List.of();
		requirePositive(backoffInitial, "backoffInitial");
		requirePositive(backoffMax, "backoffMax");
		requirePositive(backoffResetAfter, "backoffResetAfter");
		requirePositive(defaultHeartbeatInterval, "defaultHeartbeatInterval");
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(stopTimeout, "stopTimeout");
		requirePositive(registerTimeout, "registerTimeout");
		if (readIdleTimeout != null) {
			requirePositive(readIdleTimeout, "readIdleTimeout");
		}
		Objects.requireNonNull(coalesceLinger, "coalesceLinger");
		if (outboundMaxMessages < 1 || outboundMaxBytes < 1 || coalesceMaxChars < 1 || maxFramePayload < 1
				|| recentTaskIds < 1) {
			throw new IllegalArgumentException("queue, chunk, frame and task-id bounds must be positive");
		}
	}

	private static void requirePositive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be a positive duration");
		}
	}

}
