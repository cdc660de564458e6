package dev.agenthub.integration.tailscale;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(10), null);

	@Test
	void shouldReadRetryAfterAsSecondsOrHttpDate() {
		ZonedDateTime now = ZonedDateTime.parse("2026-03-01T10:00:00Z");
		assertThat(RetryPolicy.parseRetryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
		assertThat(RetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
		assertThat(RetryPolicy.parseRetryAfter("soon", now)).isNull();
		assertThat(RetryPolicy.parseRetryAfter(null, now)).isNull();
	}

	@Test
	void shouldHonourRetryAfterUpToTheMaximum() {
		assertThat(this.policy.delay(new TailscaleApiException("x", 429, null, Duration.ofSeconds(3)), 0))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(this.policy.delay(new TailscaleApiException("x", 429, null, Duration.ofHours(1)), 0))
			.isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void shouldBackOffExponentiallyWithJitterWithinBounds() {
		for (int i = 0; i < 50; i++) {
			Duration first = this.policy.delay(new TailscaleApiException("x", 503, null, null), 0);
			Duration third = this.policy.delay(new TailscaleApiException("x", 503, null, null), 2);
			assertThat(first).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
			assertThat(third).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
			assertThat(this.policy.delay(new TimeoutException(), 30)).isLessThanOrEqualTo(Duration.ofSeconds(10));
		}
	}

	@Test
	void shouldRetryOnlyTransientFailures() {
		assertThat(RetryPolicy.retryable(new TailscaleApiException("x", 429, null, null))).isTrue();
		assertThat(RetryPolicy.retryable(new TailscaleApiException("x", 500, null, null))).isTrue();
		assertThat(RetryPolicy.retryable(new TailscaleApiException("x", 504, null, null))).isTrue();
		assertThat(RetryPolicy.retryable(new TimeoutException())).isTrue();
		assertThat(RetryPolicy.retryable(new TailscaleApiException("x", 400, null, null))).isFalse();
		assertThat(RetryPolicy.retryable(new TailscaleApiException("x", 404, null, null))).isFalse();
		assertThat(RetryPolicy.retryable(new IllegalStateException())).isFalse();
	}

}
