package dev.agenthub.bench.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.agenthub.bench.DaemonThreads;

/**
 * Trying again as real clients do (agent-client, the console, socket.io-client's
 * reconnection): after 1–3 s, a bounded number of times. A node at capacity refuses an
 * open early (503 and {@code Retry-After}, or a Socket.IO {@code connect_error}); a
 * client that counted that as a failure would measure the refusal, not the node.
 */
public final class Retries {

	/** Opens tried again after a refusal, in this process. */
	private static final AtomicInteger OPENS_RETRIED = new AtomicInteger();

	/**
	 * Where retries wait, on a thread of their own: not {@code CompletableFuture}'s
	 * delayed executor, which (JDK 25, two cores) runs delayed tasks on the common pool's
	 * one worker — busy for 30 s with a scenario's publish loop, which held every retried
	 * open of the storm until it ended (the last resume at ~52 s in every pass from the
	 * sixth to the eleventh, ~10 % of the clients stalled 15–20 s in the generator).
	 */
	private static final ScheduledExecutorService DELAYS = Executors
		.newSingleThreadScheduledExecutor(DaemonThreads.named("bench-retries"));

	private Retries() {
	}

	/**
	 * An open, tried again after 1–3 s while it fails (refused, or closed before it was
	 * accepted), up to 20 times.
	 */
	public static <T> CompletableFuture<T> open(Supplier<CompletableFuture<T>> open) {
		return retrying(open, (error) -> true, 20, OPENS_RETRIED, 0);
	}

	/** Opens tried again after a refusal, in this process. */
	public static int opensRetried() {
		return OPENS_RETRIED.get();
	}

	/**
	 * {@code attempt}, tried again after 1–3 s while it fails {@code retryable}ly, up to
	 * {@code max} tries after the first, each retry counted.
	 * @param tried the retries made already
	 */
	public static <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<T>> attempt,
			Predicate<Throwable> retryable, int max, AtomicInteger retries, int tried) {
		return attempt.get().handle((value, error) -> {
			if (error == null) {
				return CompletableFuture.completedFuture(value);
			}
			if (tried >= max || !retryable.test(error)) {
				return CompletableFuture.<T>failedFuture(error);
			}
			retries.incrementAndGet();
			long delay = 1000 + ThreadLocalRandom.current().nextLong(2000);
			// the attempt only starts an open (non-blocking): fine on the delay thread
			return CompletableFuture
				.supplyAsync(() -> null, (task) -> DELAYS.schedule(task, delay, TimeUnit.MILLISECONDS))
				.thenCompose((x) -> retrying(attempt, retryable, max, retries, tried + 1));
		}).thenCompose((next) -> next);
	}

}
