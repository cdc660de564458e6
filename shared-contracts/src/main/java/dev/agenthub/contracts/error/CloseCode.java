package dev.agenthub.contracts.error;

/**
 * WebSocket close codes used by every hub ingress.
 * <p>
 * Ranges: 1000-1015 are RFC 6455's own. 4000-4099 are the hub's; {@link #reconnect()}
 * says whether a well-behaved client should reconnect (with backoff) or stop and ask a
 * person (new token, fewer subscriptions).
 */
public enum CloseCode {

	/** Normal closure. */
	NORMAL(1000, "normal", true),
	/** The server is shutting down (graceful drain); reconnect to another instance. */
	GOING_AWAY(1001, "going away", true),
	/** A protocol violation the connection cannot recover from. */
	PROTOCOL_ERROR(1002, "protocol error", false),
	/** A frame larger than the configured maximum. */
	MESSAGE_TOO_BIG(1009, "message too big", true),
	/** An unexpected server fault. */
	INTERNAL_ERROR(1011, "internal error", true),
	/** Authentication failed, expired or never came. */
	UNAUTHORIZED(4001, "unauthorized", false),
	/** The client tried to act for something it may not (e.g. another workspace). */
	FORBIDDEN(4003, "forbidden", false),
	/** The client exceeded its message rate. */
	RATE_LIMITED(4008, "rate limited", true),
	/** Another connection replaced this one (same client id, or a newer agent). */
	REPLACED(4009, "replaced", false),
	/** The client read too slowly and its outbound queue overflowed. */
	SLOW_READER(4010, "slow reader", true),
	/** No heartbeat within the allowed window. */
	HEARTBEAT_TIMEOUT(4011, "heartbeat timeout", true);

	private final int code;

	private final String reason;

	private final boolean reconnect;

	CloseCode(int code, String reason, boolean reconnect) {
		this.code = code;
		this.reason = reason;
		this.reconnect = reconnect;
	}

	public int code() {
		return this.code;
	}

	public String reason() {
		return this.reason;
	}

	/** Whether a client should reconnect (with backoff) after this close. */
	public boolean reconnect() {
		return this.reconnect;
	}

	/** The close code with the given number, or {@code null}. */
	public static CloseCode of(int code) {
		for (CloseCode candidate : values()) {
			if (candidate.code == code) {
				return candidate;
			}
		}
		return null;
	}

}
