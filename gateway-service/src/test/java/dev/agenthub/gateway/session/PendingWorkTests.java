package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PendingWorkTests {

	@Test
	void shouldReturnAtOnceWhenNothingIsPending() {
		assertThat(new PendingWork().await(Duration.ZERO)).isTrue();
	}

	@Test
	void shouldWaitUntilTheLastPieceEndsOnAnotherThread() throws Exception {
		PendingWork work = new PendingWork();
		work.begin();
		work.begin();
		CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> work.await(Duration.ofSeconds(30)));
		work.end();
		assertThat(waited).isNotDone();
		work.end();
		assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(work.pending()).isZero();
	}

	@Test
	void shouldGiveUpWhenTheTimeIsUp() {
		PendingWork work = new PendingWork();
		work.begin();
		assertThat(work.await(Duration.ofMillis(50))).isFalse();
	}

}
