package dev.agenthub.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one {@link SocketIoServer}. Defaults (see {@link #defaults()})
 * are the ones of the reference Node.js server, except the outbound bound which the
 * reference server does not have.
 *
 * @param pingInterval how often the server sends an Engine.IO ping (default 25 s)
 * @param pingTimeout how long the server waits for the pong before closing (default 20 s)
 * @param maxPayload the largest HTTP POST body or WebSocket frame accepted, in bytes
 * (default 1,000,000); also announced to the client in the open packet
 * @param connectTimeout how long a new Engine.IO session may stay without any connected
 * namespace before it is closed (default 45 s)
 * @param upgradeTimeout how long a WebSocket probe may take to complete the upgrade
 * (default 10 s)
 * @param maxOutboundBytes the bound of each session's outbound queue in bytes; an enqueue
 * past it closes the session with {@link DisconnectReason#OUTBOUND_OVERFLOW} (default 1
 * MiB)
 * @param maxSessions the most Engine.IO sessions held at once; further handshakes get
 * HTTP 503 (default 200,000)
 * @param maxAttachments the most binary attachments accepted in one packet (default 64)
 * @param keptHeaders the handshake headers a session keeps for its handlers (lower case);
 * {@code null} keeps them all (default). A server holding many sessions keeps only what
 * its handlers read: the rest of the request is not held per connection.
 * @param keptAuth the fields of a CONNECT's auth payload a socket keeps
 * ({@link SioSocket#auth()}) once its namespace decided; {@code null} keeps it whole
 * (default). Credentials need not stay with a socket for its life.
 */
public record SocketIoConfig(Duration pingInterval, Duration pingTimeout, int maxPayload, Duration connectTimeout,
		Duration upgradeTimeout, long maxOutboundBytes, int maxSessions, int maxAttachments,
		java.util.@org.jspecify.annotations.Nullable Set<String> keptHeaders,
		java.util.@org.jspecify.annotations.Nullable Set<String> keptAuth) {

	public SocketIoConfig {
		requirePositive(pingInterval, "pingInterval");
		requirePositive(pingTimeout, "pingTimeout");
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(upgradeTimeout, "upgradeTimeout");
		if (maxPayload < 16) {
			throw new IllegalArgumentException("maxPayload must be at least 16 bytes, was " + maxPayload);
		}
		if (maxOutboundBytes < maxPayload) {
			throw new IllegalArgumentException(
					"maxOutboundBytes must be at least maxPayload (" + maxPayload + "), was " + maxOutboundBytes);
		}
		if (maxSessions < 1 || maxAttachments < 1) {
			throw new IllegalArgumentException("maxSessions and maxAttachments must be positive");
		}
	}

	/** The defaults described on the record. */
	public static SocketIoConfig defaults() {
		return new SocketIoConfig(Duration.ofSeconds(25), Duration.ofSeconds(20), 1_000_000, Duration.ofSeconds(45),
				Duration.ofSeconds(10), 1L << 20, 200_000, 64, null, null);
	}

	public SocketIoConfig withHeartbeat(Duration interval, Duration timeout) {
		return new SocketIoConfig(interval, timeout, this.maxPayload, this.connectTimeout, this.upgradeTimeout,
				this.maxOutboundBytes, this.maxSessions, this.maxAttachments, this.keptHeaders, this.keptAuth);
	}

	public SocketIoConfig withConnectTimeout(Duration timeout) {
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, this.maxPayload, timeout, this.upgradeTimeout,
				this.maxOutboundBytes, this.maxSessions, this.maxAttachments, this.keptHeaders, this.keptAuth);
	}

	public SocketIoConfig withMaxPayload(int bytes) {
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, bytes, this.connectTimeout, this.upgradeTimeout,
				Math.max(bytes, this.maxOutboundBytes), this.maxSessions, this.maxAttachments, this.keptHeaders,
				this.keptAuth);
	}

	public SocketIoConfig withMaxOutboundBytes(long bytes) {
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, this.maxPayload, this.connectTimeout,
				this.upgradeTimeout, bytes, this.maxSessions, this.maxAttachments, this.keptHeaders, this.keptAuth);
	}

	public SocketIoConfig withMaxSessions(int sessions) {
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, this.maxPayload, this.connectTimeout,
				this.upgradeTimeout, this.maxOutboundBytes, sessions, this.maxAttachments, this.keptHeaders,
				this.keptAuth);
	}

	/** Keeps only these handshake headers per session (names in any case). */
	public SocketIoConfig withKeptHeaders(java.util.Set<String> names) {
		java.util.Set<String> lower = new java.util.HashSet<>();
		names.forEach((name) -> lower.add(name.toLowerCase(java.util.Locale.ROOT)));
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, this.maxPayload, this.connectTimeout,
				this.upgradeTimeout, this.maxOutboundBytes, this.maxSessions, this.maxAttachments,
				java.util.Set.copyOf(lower), this.keptAuth);
	}

	/** Keeps only these fields of a CONNECT's auth payload with a socket. */
	public SocketIoConfig withKeptAuth(java.util.Set<String> fields) {
		return new SocketIoConfig(this.pingInterval, this.pingTimeout, this.maxPayload, this.connectTimeout,
				this.upgradeTimeout, this.maxOutboundBytes, this.maxSessions, this.maxAttachments, this.keptHeaders,
				java.util.Set.copyOf(fields));
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
	}

}
