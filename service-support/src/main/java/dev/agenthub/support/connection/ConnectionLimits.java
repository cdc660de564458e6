package dev.agenthub.support.connection;

import java.time.Duration;

/**
 * What one ingress allows each of its connections.
 *
 * @param maxFrameBytes largest inbound frame; larger: {@code error}, close 1009
 * @param ratePerSecond sustained inbound messages per second ({@link RateMode#CLOSE}), or
 * bytes per second ({@link RateMode#THROTTLE})
 * @param rateBurst inbound burst, in messages or bytes likewise
 * @param rateMode what happens to a client over its rate
 * @param maxOutboundBytes bytes queued for a client, live and replayed frames alike;
 * beyond: close 4010
 * @param pingInterval how often the server pings ({@link Duration#ZERO}: the ingress
 * keeps liveness itself)
 * @param idleTimeout silence after which a socket is closed 4011 ({@link Duration#ZERO}:
 * never)
 * @param authTimeout time to authenticate by first message
 * @param replayStall how long a replay may wait for a reader that takes nothing before it
 * is closed 4010
 * @param maxConnections connections a node holds at most; more are refused (503)
 * @param maxOpening connections authenticating and opening at once at most (each costs
 * engine round trips); more are refused (503)
 * @param maxPerSubject connections one subject (a user, an agent, a service) holds on a
 * node at most; more are refused in the protocol ({@code rate_limited}, close 4008; a
 * Socket.IO {@code connect_error} with {@code retryAfter}), so that one token cannot take
 * a node's connections from everyone else
 */
public record ConnectionLimits(int maxFrameBytes, int ratePerSecond, int rateBurst, RateMode rateMode,
		int maxOutboundBytes, Duration pingInterval, Duration idleTimeout, Duration authTimeout, Duration replayStall,
		int maxConnections, int maxOpening, int maxPerSubject) {

	/** What the pipeline does with a client faster than its rate. */
	public enum RateMode {

		/** Answer {@code error} {@code rate_limited} and close 4008 (browsers). */
		CLOSE,

		/**
		 * A budget in bytes: stop reading until it allows the next frame, so TCP pushes
		 * back on the client, which is never closed for speed (agents).
		 */
		THROTTLE

	}

	/** Whether the core runs heartbeats (pings and the idle timeout) for the ingress. */
	boolean heartbeats() {
		return !this.pingInterval.isZero() && !this.idleTimeout.isZero();
	}

}
