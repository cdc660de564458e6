package dev.agenthub.support.socket;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up.
 * Not thread-safe: used from one connection's inbound (serial) thread only.
 */
public final class RateLimiter {

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long last;

	public RateLimiter(int ratePerSecond, int burst) {
		this.ratePerNano = ratePerSecond / 1e9;
		this.burst = burst;
		this.tokens = burst;
		this.last = System.nanoTime();
	}

	/** Takes a token; {@code false} when none is left. */
	public boolean tryAcquire() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.ratePerNano);
		this.last = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}

}
