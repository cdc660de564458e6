package dev.agenthub.agentclient;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	@Test
	void shouldDoubleTheCapUpToTheMaximumWithFullJitter() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);

		assertThat(backoff.next()).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
		assertThat(backoff.next()).isBetween(Duration.ofMillis(3990), Duration.ofSeconds(4));
		for (int i = 0; i < 40; i++) {
			assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(30));
		}
		assertThat(backoff.next()).isGreaterThan(Duration.ofSeconds(29));
	}

	@Test
	void shouldDrawFromZeroAndCountAttemptsUntilReset() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);

		assertThat(backoff.next()).isZero();
		assertThat(backoff.next()).isZero();
		assertThat(backoff.attempt()).isEqualTo(2);
		backoff.reset();
		assertThat(backoff.attempt()).isZero();
	}

	@Test
	void shouldWaitAtLeastHalfTheMaximumWhenAskedToBackOffToTheMaximum() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);

		assertThat(backoff.nextAtMax()).isEqualTo(Duration.ofSeconds(15));
	}

}
