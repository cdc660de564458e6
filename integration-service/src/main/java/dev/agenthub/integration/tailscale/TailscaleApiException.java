package dev.agenthub.integration.tailscale;

import java.time.Duration;

/**
 * A non-2xx answer of the Tailscale API: its status, its {@code {"message":...}} and any
 * {@code Retry-After}. Translated into a hub API error by {@link TailscaleErrors}.
 */
class TailscaleApiException extends RuntimeException {

	private final int status;

	private final String upstreamMessage;

	private final Duration retryAfter;

	private final boolean retryable;

	TailscaleApiException(String operation, int status, String upstreamMessage, Duration retryAfter) {
		this(operation, status, upstreamMessage, retryAfter, true);
	}

	/**
	 * @param retryable {@code false} for a failure another attempt would meet again (an
	 * answer too large to read)
	 */
	TailscaleApiException(String operation, int status, String upstreamMessage, Duration retryAfter,
			boolean retryable) {
		super(operation + ": Tailscale answered " + status + ((upstreamMessage != null) ? " " + upstreamMessage : ""),
				null, false, false);
		this.status = status;
		this.upstreamMessage = upstreamMessage;
		this.retryAfter = retryAfter;
		this.retryable = retryable;
	}

	int status() {
		return this.status;
	}

	/** Tailscale's {@code message}, or {@code null}. */
	String upstreamMessage() {
		return this.upstreamMessage;
	}

	/** The server's {@code Retry-After}, or {@code null}. */
	Duration retryAfter() {
		return this.retryAfter;
	}

	/** Whether another attempt may succeed: rate limited or a server-side failure. */
	boolean transientFailure() {
		return this.retryable && (this.status == 429 || this.status >= 500);
	}

}
