package dev.agenthub.support.connection;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up.
 * Not thread-safe: used from one connection's inbound (serial) processing only.
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
		refill();
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}

	/**
	 * Takes {@code cost} tokens (e.g. a frame's bytes), going into debt if too few are
	 * left.
	 * @return nanoseconds to wait before the next frame may be read (0 when none)
	 */
	public long acquireOrDelay(long cost) {
		refill();
		this.tokens -= cost;
		return (this.tokens >= 0) ? 0 : (long) (-this.tokens / this.ratePerNano);
	}

	private void refill() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.ratePerNano);
		this.last = now;
	}

}
