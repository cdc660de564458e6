package dev.agenthub.integration.tailscale;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Bounded retries for idempotent Tailscale calls: after 429, a 5xx or a transport error
 * or timeout, wait {@code Retry-After} when the server sent one, else an exponential
 * backoff with jitter, never longer than the configured maximum. Calls that create
 * something (auth keys) are never retried blindly: a lost answer could mean a key exists.
 */
final class RetryPolicy {

	private static final Logger logger = LoggerFactory.getLogger(RetryPolicy.class);

	private final int maxRetries;

	private final Duration backoff;

	private final Duration maxDelay;

	private final TailscaleMetrics metrics;

	RetryPolicy(int maxRetries, Duration backoff, Duration maxDelay, TailscaleMetrics metrics) {
		this.maxRetries = maxRetries;
		this.backoff = backoff;
		this.maxDelay = maxDelay;
		this.metrics = metrics;
	}

	/** The {@link Retry} for one idempotent operation. */
	Retry forOperation(String operation) {
		return Retry.from((signals) -> signals.concatMap((signal) -> {
			Throwable failure = signal.failure();
			long attempt = signal.totalRetries();
			if (attempt >= this.maxRetries || !retryable(failure)) {
				return Mono.error(failure);
			}
			Duration delay = delay(failure, attempt);
			logger.info("Tailscale {} failed ({}), retry {} of {} in {} ms", operation, describe(failure), attempt + 1,
					this.maxRetries, delay.toMillis());
			if (this.metrics != null) {
				this.metrics.retried(operation);
			}
			return Mono.delay(delay);
		}));
	}

	static boolean retryable(Throwable failure) {
		if (failure instanceof TailscaleApiException api) {
			return api.transientFailure();
		}
		return failure instanceof TimeoutException || failure instanceof WebClientRequestException;
	}

	Duration delay(Throwable failure, long attempt) {
		if (failure instanceof TailscaleApiException api && api.retryAfter() != null) {
			return min(api.retryAfter(), this.maxDelay);
		}
		long base = this.backoff.toMillis() << Math.min(attempt, 20);
		// Jitter spreads the retries of many callers over [base/2, base].
		long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
		return min(Duration.ofMillis(jittered), this.maxDelay);
	}

	/**
	 * Parses {@code Retry-After}: delay-seconds or an HTTP-date.
	 * @return the delay, or {@code null} when absent or unreadable
	 */
	static Duration parseRetryAfter(String value, ZonedDateTime now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
		}
		catch (NumberFormatException ex) {
			try {
				Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (DateTimeParseException unreadable) {
				return null;
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String describe(Throwable failure) {
		return (failure instanceof TailscaleApiException api) ? "status " + api.status()
				: failure.getClass().getSimpleName();
	}

}
