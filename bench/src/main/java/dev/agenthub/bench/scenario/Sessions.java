package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Opens many sessions with a bounded number of handshakes in flight. */
public final class Sessions {

	private Sessions() {
	}

	/**
	 * Opens {@code count} things, {@code concurrency} at a time.
	 * @param count how many
	 * @param concurrency handshakes in flight
	 * @param timeout time limit for each
	 * @param open number → future
	 * @param failures incremented per failure
	 * @param <T> session type
	 * @return the sessions that opened
	 */
	public static <T> List<T> open(int count, int concurrency, Duration timeout, IntFunction<CompletableFuture<T>> open,
			AtomicLong failures) {
		return open(count, concurrency, timeout, open, failures, new AtomicLong());
	}

	/**
	 * Opens {@code count} things, {@code concurrency} at a time, counting progress.
	 * @param count how many
	 * @param concurrency handshakes in flight
	 * @param timeout time limit for each
	 * @param open number → future
	 * @param failures incremented per failure
	 * @param opened incremented per success, as it happens
	 * @param <T> session type
	 * @return the sessions that opened
	 */
	public static <T> List<T> open(int count, int concurrency, Duration timeout, IntFunction<CompletableFuture<T>> open,
			AtomicLong failures, AtomicLong opened) {
		List<T> out = Collections.synchronizedList(new ArrayList<>(count));
		Flux.range(0, count).flatMap((i) -> Mono.fromFuture(() -> open.apply(i)).timeout(timeout).doOnNext((t) -> {
			out.add(t);
			opened.incrementAndGet();
		}).onErrorResume((ex) -> {
			if (failures.incrementAndGet() <= 5) {
				System.err.println("open failed: " + ex.getMessage());
			}
			return Mono.empty();
		}), concurrency).blockLast(timeout.multipliedBy(Math.max(1, count / Math.max(1, concurrency) + 2)));
		return out;
	}

	/** Sleeps (a bench harness does wait). */
	public static void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

}
