package dev.agenthub.agentclient;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void shouldAllowABurstThenOneFramePerInterval() {
		RateLimiter limiter = new RateLimiter(10, 3, 0);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.nanosUntilAvailable(0)).isZero();
			limiter.consume();
		}

		assertThat(limiter.nanosUntilAvailable(0)).isEqualTo(SECOND / 10);
		assertThat(limiter.nanosUntilAvailable(SECOND / 20)).isEqualTo(SECOND / 20);
		assertThat(limiter.nanosUntilAvailable(SECOND / 10)).isZero();
	}

	@Test
	void shouldNotSaveUpMoreThanTheBurst() {
		RateLimiter limiter = new RateLimiter(10, 2, 0);

		long later = 100 * SECOND;
		for (int i = 0; i < 2; i++) {
			assertThat(limiter.nanosUntilAvailable(later)).isZero();
			limiter.consume();
		}
		assertThat(limiter.nanosUntilAvailable(later)).isPositive();
	}

	@Test
	void shouldLetControlFramesOverdrawAndMakeLaterFramesWait() {
		RateLimiter limiter = new RateLimiter(10, 1, 0);
		limiter.consume();
		limiter.consume();

		assertThat(limiter.nanosUntilAvailable(0)).isEqualTo(2 * SECOND / 10);
	}

	@Test
	void shouldNeverWaitWhenDisabled() {
		RateLimiter limiter = new RateLimiter(0, 0, 0);
		for (int i = 0; i < 1000; i++) {
			limiter.consume();
		}

		assertThat(limiter.nanosUntilAvailable(0)).isZero();
	}

}
