package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The channels whose listeners must catch up after their subscriptions were made again
 * ({@link dev.agenthub.broker.Broker.CatchUpListener}), a few at a time. A node's Redis
 * link coming back makes every channel it listens to catch up — one history read each,
 * thousands on a busy gateway — and all at once they would fill the command queue (the
 * reads past it refused, their channels behind for good) and hold up the live traffic
 * queued behind them. Here at most {@value #IN_FLIGHT} run at once, a channel asked for
 * again while it waits is queued once, and a read that fails is tried again, backing off,
 * for about twenty seconds (past that Redis is likely gone again, and a link that comes
 * back asks anew; a channel's next event fills its gap in any case).
 */
final class CatchUps {

	private static final Logger logger = LoggerFactory.getLogger(CatchUps.class);

	/** Catch-ups running at once. */
	static final int IN_FLIGHT = 32;

	private static final Retry RETRY = Retry.backoff(8, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5));

	private static final Duration LOG_EVERY = Duration.ofSeconds(10);

	private final Queue<String> waiting = new ConcurrentLinkedQueue<>();

	/** The catch-up of each channel in {@link #waiting} (the latest asked for). */
	private final Map<String, Mono<Void>> queued = new ConcurrentHashMap<>();

	private final AtomicInteger running = new AtomicInteger();

	/** Catch-ups given up on and not yet logged. */
	private final AtomicInteger givenUp = new AtomicInteger();

	private volatile long loggedAt;

	/** Calls of {@link #drain()} not yet served (one drains, the others add to it). */
	private final AtomicInteger draining = new AtomicInteger();

	/**
	 * Queues a channel's catch-up (once, however often it is asked for meanwhile).
	 * @param channel the channel
	 * @param read its catch-up, subscribed to when its turn comes (again when it fails):
	 * completes when done, errors when it could not read the history
	 */
	void request(String channel, Mono<Void> read) {
		if (this.queued.put(channel, read) == null) {
			this.waiting.add(channel);
			drain();
		}
	}

	/**
	 * Starts what is queued, up to {@value #IN_FLIGHT} running, on one thread at a time:
	 * a catch-up that ends at once (nothing to read) drains again from inside this loop,
	 * which only counts it and lets the loop go on, instead of recursing.
	 */
	private void drain() {
		if (this.draining.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			while (this.running.get() < IN_FLIGHT) {
				String channel = this.waiting.poll();
				if (channel == null) {
					break;
				}
				Mono<Void> read = this.queued.remove(channel);
				this.running.incrementAndGet();
				start(channel, read);
			}
			missed = this.draining.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void start(String channel, Mono<Void> read) {
		read.retryWhen(RETRY).doFinally((signal) -> {
			this.running.decrementAndGet();
			drain();
		}).subscribe(null, (ex) -> gaveUp(channel, ex));
	}

	/**
	 * Logs catch-ups given up on, a line per {@link #LOG_EVERY} at most: when Redis is
	 * gone a node's channels all fail alike (and catch up when it is back).
	 */
	private void gaveUp(String channel, Throwable ex) {
		int count = this.givenUp.incrementAndGet();
		long now = System.nanoTime();
		long last = this.loggedAt;
		if ((last == 0 || now - last >= LOG_EVERY.toNanos()) && this.givenUp.compareAndSet(count, 0)) {
			this.loggedAt = now;
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Could not catch up on {} channel(s) ({}, …): {}", count, channel, cause.toString());
		}
	}

}
