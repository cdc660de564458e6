package dev.agenthub.support.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpeningLimitTests {

	static final long FAST = Duration.ofMillis(20).toNanos();

	static final long SLOW = Duration.ofSeconds(3).toNanos();

	@Test
	void shouldStartModeratelyAndGrowByOneForEachOpenDoneWithinTheTarget() {
		OpeningLimit limit = new OpeningLimit(2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL);
		for (int i = 0; i < 100; i++) {
			limit.completed(FAST, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL + 100);
		for (int i = 0; i < 5_000; i++) {
			limit.completed(FAST, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(2_000);
	}

	@Test
	void shouldHalveOnASlowOpenAtMostOncePerTargetIntervalDownToTheFloor() throws InterruptedException {
		OpeningLimit limit = new OpeningLimit(2_000, Duration.ofMillis(50));
		limit.completed(SLOW, 2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL / 2);
		// the other opens of the same congested moment do not halve it again
		for (int i = 0; i < 100; i++) {
			limit.completed(SLOW, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL / 2);
		for (int i = 0; i < 10; i++) {
			Thread.sleep(60);
			limit.completed(SLOW, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.FLOOR);
		limit.completed(FAST, 2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.FLOOR + 1);
	}

	@Test
	void shouldNeverExceedTheConfiguredMaximum() {
		OpeningLimit limit = new OpeningLimit(3);
		assertThat(limit.current(3)).isEqualTo(3);
		limit.completed(FAST, 3);
		assertThat(limit.current(3)).isEqualTo(3);
		// a maximum under the floor is the floor
		limit.completed(SLOW, 3);
		assertThat(limit.current(3)).isEqualTo(3);
		// a maximum lowered at run time applies at once
		assertThat(new OpeningLimit(2_000).current(10)).isEqualTo(10);
	}

}
