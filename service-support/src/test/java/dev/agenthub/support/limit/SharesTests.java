package dev.agenthub.support.limit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SharesTests {

	@Test
	void shouldLetAKeyTakeItsShareAndNoMoreWhileOtherKeysTakeTheirs() {
		Shares shares = new Shares(2);
		assertThat(shares.take("a")).isTrue();
		assertThat(shares.take("a")).isTrue();
		assertThat(shares.take("a")).isFalse();
		assertThat(shares.admits("a")).isFalse();
		assertThat(shares.take("b")).isTrue();
		assertThat(shares.held("a")).isEqualTo(2);
		shares.give("a");
		assertThat(shares.admits("a")).isTrue();
		assertThat(shares.take("a")).isTrue();
	}

	@Test
	void shouldKeepNoEntryForAKeyHoldingNothing() {
		Shares shares = new Shares(3);
		shares.take("a");
		shares.force("b");
		assertThat(shares.keys()).isEqualTo(2);
		shares.give("a");
		shares.give("b");
		// giving back what was never taken changes nothing
		shares.give("c");
		assertThat(shares.keys()).isZero();
		assertThat(shares.held("a")).isZero();
	}

	@Test
	void shouldCountWhatIsForcedBeyondTheShare() {
		Shares shares = new Shares(1);
		shares.force("a");
		shares.force("a");
		assertThat(shares.held("a")).isEqualTo(2);
		assertThat(shares.take("a")).isFalse();
		shares.give("a");
		assertThat(shares.take("a")).isFalse();
		shares.give("a");
		assertThat(shares.take("a")).isTrue();
	}

	@Test
	void shouldNeverGrantMoreThanTheShareToConcurrentTakers() throws Exception {
		Shares shares = new Shares(100);
		AtomicInteger granted = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		for (int i = 0; i < 1000; i++) {
			pool.execute(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (shares.take("a")) {
					granted.incrementAndGet();
				}
			});
		}
		start.countDown();
		pool.shutdown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(granted.get()).isEqualTo(100);
		assertThat(shares.held("a")).isEqualTo(100);
	}

	@Test
	void shouldRefuseAShareOfNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Shares(0));
	}

}
