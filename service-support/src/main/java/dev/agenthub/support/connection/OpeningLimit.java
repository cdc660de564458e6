package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

import reactor.core.publisher.Mono;

/**
 * How many connections may authenticate and open at once, adapted to how fast opens
 * complete (additive increase, multiplicative decrease, as TCP does with its window):
 * each open done within the target adds one, one slower than the target halves the limit
 * (at most once per target interval), between a floor and the configured maximum. A fixed
 * bound sized for a fast machine let a reconnect storm on a slower one queue thousands of
 * engine commands until they timed out; with this, a node whose opens slow down refuses
 * the surplus early (503 and {@code Retry-After}) and its engine calls stay near the
 * target.
 */
final class OpeningLimit {

	static final Duration TARGET = Duration.ofSeconds(1);

	static final int FLOOR = 16;

	static final int INITIAL = 256;

	private final long targetNanos;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile double limit;

	private long lastDecrease;

	OpeningLimit(int max) {
		this(max, TARGET);
	}

	OpeningLimit(int max, Duration target) {
		this.limit = Math.min(Math.max(max, 1), INITIAL);
		this.targetNanos = target.toNanos();
		this.lastDecrease = System.nanoTime() - this.targetNanos;
	}

	/** Whether one more open may start now. */
	boolean admits(int max) {
		return this.inFlight.get() < current(max);
	}

	/**
	 * Brackets an open: counts it while it runs, and learns from how long it took.
	 * @param work the authentication and opening of a connection
	 * @param max the configured maximum (read when the open ends)
	 */
	<T> Mono<T> bracket(Mono<T> work, IntSupplier max) {
		return bracket((release) -> work, max);
	}

	/**
	 * Brackets an open that may end the node's part of it early: counts it until it ends
	 * or calls the release it is given (once; later calls do nothing), and learns from
	 * how long that took. An open whose rest waits for the client (a recovery replayed as
	 * fast as the client reads) releases there: a client that reads slowly, or not at
	 * all, must not hold a place among the opens nor count as a slow node.
	 * @param work the authentication and opening of a connection, given its release
	 * @param max the configured maximum (read when the open ends)
	 */
	<T> Mono<T> bracket(Function<Runnable, Mono<T>> work, IntSupplier max) {
		return Mono.defer(() -> {
			this.inFlight.incrementAndGet();
			long started = System.nanoTime();
			AtomicBoolean ended = new AtomicBoolean();
			Runnable release = () -> {
				if (ended.compareAndSet(false, true)) {
					this.inFlight.decrementAndGet();
					completed(System.nanoTime() - started, max.getAsInt());
				}
			};
			return work.apply(release).doFinally((signal) -> release.run());
		});
	}

	/** Opens counted now. */
	int inFlight() {
		return this.inFlight.get();
	}

	/** The opens allowed at once now, never above {@code max}. */
	int current(int max) {
		return Math.min(max, (int) this.limit);
	}

	/**
	 * Takes an open that completed (or failed) after {@code nanos}.
	 * @param nanos how long it took
	 * @param max the configured maximum
	 */
	synchronized void completed(long nanos, int max) {
		if (nanos <= this.targetNanos) {
			this.limit = Math.min(max, this.limit + 1);
			return;
		}
		long now = System.nanoTime();
		if (now - this.lastDecrease >= this.targetNanos) {
			this.limit = Math.max(Math.min(FLOOR, max), this.limit / 2);
			this.lastDecrease = now;
		}
	}

}
