package dev.agenthub.gateway.metrics;

/**
 * Every meter the gateway registers (Prometheus renders dots as underscores and adds
 * {@code _total} to counters). Tags are low-cardinality: never a user, channel or
 * connection id.
 */
public enum GatewayMeters {

	/** Gauge: open WebSocket connections; tag {@code authenticated} true/false. */
	CONNECTIONS("hub.gateway.connections"),
	/** Counter: messages received from clients (after the frame and rate limits). */
	MESSAGES_IN("hub.gateway.messages.in"),
	/** Counter: frames queued to clients (events, replies, pings). */
	MESSAGES_OUT("hub.gateway.messages.out"),
	/**
	 * Gauge: explicit subscriptions of all connections (implicit channels not counted).
	 */
	SUBSCRIPTIONS("hub.gateway.subscriptions"),
	/**
	 * Timer (histogram): from an event's publish timestamp to its frame being queued to
	 * this node's subscribers; recorded once per event per node.
	 */
	DELIVERY_LATENCY("hub.gateway.delivery.latency"),
	/** Counter: connections closed by the gateway; tag {@code reason}. */
	CLOSES("hub.gateway.closes"),
	/** Counter: subscriptions that asked for recovery; tag {@code outcome}. */
	RECOVERIES("hub.gateway.recoveries"),
	/**
	 * Timer: reads of everyone online for {@code GET /api/presence} (a walk over the
	 * presence store; at most one per presence interval per node, however many ask).
	 */
	PRESENCE_LISTINGS("hub.gateway.presence.listings");

	/** Tag of {@link #CONNECTIONS}. */
	public static final String TAG_AUTHENTICATED = "authenticated";

	/** Tag of {@link #CLOSES}: {@code slow_reader} or {@code rate_limited}. */
	public static final String TAG_REASON = "reason";

	/** Tag of {@link #RECOVERIES}: {@code recovered} or {@code not_recovered}. */
	public static final String TAG_OUTCOME = "outcome";

	private final String meterName;

	GatewayMeters(String meterName) {
		this.meterName = meterName;
	}

	/** The meter's name, e.g. {@code hub.gateway.messages.in}. */
	public String meterName() {
		return this.meterName;
	}

}
