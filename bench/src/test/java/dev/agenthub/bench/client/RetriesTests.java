package dev.agenthub.bench.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetriesTests {

	@Test
	void shouldRetryOnTimeWhileTheCommonPoolIsBusy() throws Exception {
		// a scenario's publish loop holds the common pool's workers for the whole run; a
		// retry waiting on the common pool waited for it (the storm's 52 s)
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Void>> busy = new ArrayList<>();
		for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism() + 1; i++) {
			busy.add(CompletableFuture.runAsync(() -> {
				try {
					release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		try {
			AtomicInteger tries = new AtomicInteger();
			long start = System.nanoTime();
			String result = Retries
				.retrying(() -> (tries.incrementAndGet() == 1)
						? CompletableFuture.<String>failedFuture(new IllegalStateException("refused"))
						: CompletableFuture.completedFuture("open"), (error) -> true, 3, new AtomicInteger(), 0)
				.get(20, TimeUnit.SECONDS);
			assertThat(result).isEqualTo("open");
			assertThat(tries).hasValue(2);
			// one delay of 1–3 s, not the busy pool's 60
			assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
		}
		finally {
			release.countDown();
			CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		}
	}

}
