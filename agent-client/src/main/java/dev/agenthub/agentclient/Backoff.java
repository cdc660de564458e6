package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt {@code n} waits a uniformly random time
 * in {@code [0, min(max, initial * 2^(n-1))]}. Not thread-safe; the client confines it.
 */
final class Backoff {

	private final long initialMillis;

	private final long maxMillis;

	private final DoubleSupplier random;

	private int attempt;

	Backoff(Duration initial, Duration max, DoubleSupplier random) {
		this.initialMillis = Math.max(1, initial.toMillis());
		this.maxMillis = Math.max(this.initialMillis, max.toMillis());
		this.random = random;
	}

	/**
	 * Counts an attempt and returns its delay.
	 * @return the delay
	 */
	Duration next() {
		this.attempt++;
		int shift = Math.min(this.attempt - 1, 30);
		long cap = Math.min(this.maxMillis, this.initialMillis << shift);
		return Duration.ofMillis((long) (this.random.getAsDouble() * cap));
	}

	/**
	 * Counts an attempt that must wait long: between half the maximum and the maximum, so
	 * a fleet of refused agents does not return in step.
	 * @return the delay
	 */
	Duration nextAtMax() {
		this.attempt++;
		return Duration.ofMillis(this.maxMillis / 2 + (long) (this.random.getAsDouble() * (this.maxMillis / 2)));
	}

	void reset() {
		this.attempt = 0;
	}

	int attempt() {
		return this.attempt;
	}

}
