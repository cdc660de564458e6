package dev.agenthub.bench.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs asynchronous operations at a fixed rate (or as fast as a bounded number in flight
 * allows, rate 0) for a fixed time. An operation that is due while the in-flight bound is
 * reached is counted as dropped rather than queued: the offered rate is then higher than
 * the hub sustains, which the result shows.
 */
public final class RateDriver {

	private RateDriver() {
	}

	/**
	 * Runs and waits (bounded) for the operations in flight.
	 * @param rate operations per second, 0 for "as fast as possible"
	 * @param duration how long to issue
	 * @param maxInFlight bound of operations in flight
	 * @param operation operation number → result (true = success)
	 * @return attempted, ok, failed, dropped, seconds, achievedPerSecond
	 */
	public static Map<String, Object> run(int rate, Duration duration, int maxInFlight,
			LongFunction<Mono<Boolean>> operation) throws InterruptedException {
		AtomicLong issued = new AtomicLong();
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong dropped = new AtomicLong();
		AtomicInteger inFlight = new AtomicInteger();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		CountDownLatch done = new CountDownLatch(1);
		Runnable[] issueOne = new Runnable[1];
		issueOne[0] = () -> {
			inFlight.incrementAndGet();
			operation.apply(issued.getAndIncrement()).defaultIfEmpty(false).subscribe((success) -> {
				(success ? ok : failed).incrementAndGet();
			}, (error) -> {
				failed.incrementAndGet();
				inFlight.decrementAndGet();
			}, () -> {
				inFlight.decrementAndGet();
				if (rate == 0 && System.nanoTime() < end) {
					issueOne[0].run();
				}
			});
		};
		Disposable ticker;
		if (rate == 0) {
			for (int i = 0; i < maxInFlight; i++) {
				issueOne[0].run();
			}
			ticker = null;
		}
		else {
			AtomicLong due = new AtomicLong();
			ticker = Flux.interval(Duration.ofMillis(1)).subscribe((tick) -> {
				long now = System.nanoTime();
				if (now >= end) {
					done.countDown();
					return;
				}
				long shouldHave = (long) ((now - start) / 1e9 * rate);
				while (due.get() < shouldHave) {
					due.incrementAndGet();
					if (inFlight.get() >= maxInFlight) {
						dropped.incrementAndGet();
					}
					else {
						issueOne[0].run();
					}
				}
			});
		}
		Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
		done.await(5, TimeUnit.SECONDS);
		if (ticker != null) {
			ticker.dispose();
		}
		long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (inFlight.get() > 0 && System.nanoTime() < waitUntil) {
			Thread.sleep(10);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("targetPerSecond", rate);
		out.put("attempted", issued.get());
		out.put("ok", ok.get());
		out.put("failed", failed.get());
		out.put("dropped", dropped.get());
		out.put("seconds", Math.round(seconds * 100) / 100.0);
		out.put("achievedPerSecond", Math.round(ok.get() * 1000.0 / duration.toMillis()));
		return out;
	}

}
