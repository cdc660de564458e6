package dev.agenthub.agentclient;

/**
 * A token bucket for outbound frames, so an agent stays under the server's per-connection
 * message rate (100/s, burst 200 by default) instead of being closed with 4008. While the
 * bucket is empty, output keeps coalescing in the queue's head chunk. Confined to the
 * session's drain loop, which is serialized.
 */
final class RateLimiter {

	private final double tokensPerNano;

	private final double burst;

	private double tokens;

	private long lastNanos;

	/**
	 * Creates a limiter.
	 * @param perSecond sustained frames per second; {@code 0} or less disables limiting
	 * @param burst frames that may leave at once
	 * @param nowNanos the current {@link System#nanoTime()}
	 */
	RateLimiter(int perSecond, int burst, long nowNanos) {
		this.tokensPerNano = (perSecond > 0) ? perSecond / 1e9 : 0;
		this.burst = Math.max(1, burst);
		this.tokens = this.burst;
		this.lastNanos = nowNanos;
	}

	/**
	 * How long until a frame may leave.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return {@code 0} if one may leave now, else the wait in nanoseconds
	 */
	long nanosUntilAvailable(long nowNanos) {
		if (this.tokensPerNano == 0) {
			return 0;
		}
		long elapsed = nowNanos - this.lastNanos;
		if (elapsed > 0) {
			this.tokens = Math.min(this.burst, this.tokens + elapsed * this.tokensPerNano);
			this.lastNanos = nowNanos;
		}
		if (this.tokens >= 1) {
			return 0;
		}
		return (long) Math.ceil((1 - this.tokens) / this.tokensPerNano);
	}

	/**
	 * Counts a frame that left; control frames (heartbeat, pong) are counted without
	 * waiting, so the balance may go below zero.
	 */
	void consume() {
		if (this.tokensPerNano != 0) {
			this.tokens -= 1;
		}
	}

}
