package dev.agenthub.gateway.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * What the gateway's domain code reports; the Micrometer implementation turns it into the
 * {@link GatewayMeters}. Every method is cheap and never blocks (hot paths call it).
 * Connection and subscription counts are gauges read from the session registry, so they
 * need no calls here.
 */
public interface GatewayMetrics {

	/** Records nothing (no meter registry). */
	GatewayMetrics NOOP = new GatewayMetrics() {
	};

	/** A client message was accepted for handling. */
	default void messageIn() {
	}

	/** A frame was queued to a client. */
	default void messageOut() {
	}

	/** An event published at {@code published} was queued to this node's subscribers. */
	default void delivered(Instant published) {
	}

	/** A connection was closed because its outbound queue overflowed (4010). */
	default void slowReaderClosed() {
	}

	/** A connection was closed for exceeding its message rate (4008). */
	default void rateLimitClosed() {
	}

	/** A subscription asked for recovery and got it, or not. */
	default void recovery(boolean recovered) {
	}

	/** Everyone online was read from the presence store; it took {@code took}. */
	default void presenceListed(Duration took) {
	}

}
