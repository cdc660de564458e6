package dev.agenthub.contracts.error;

/**
 * Client-facing error codes, sent as
 * {@code {"type":"error","data":{"code":...,"error":...}}} on sockets and as
 * {@code {"code":...,"error":...}} in HTTP error bodies.
 */
public enum ErrorCode {

	/** Malformed JSON, an unknown message type, or a payload that breaks the contract. */
	BAD_REQUEST("bad_request", 400),
	/** Missing, forged or expired token. */
	UNAUTHORIZED("unauthorized", 401),
	/** The connection's token expired and was not refreshed in-band; closed 4001. */
	TOKEN_EXPIRED("token_expired", 401),
	/** Authenticated, but not allowed to act on that channel or workspace. */
	FORBIDDEN("forbidden", 403),
	/** The named resource does not exist. */
	NOT_FOUND("not_found", 404),
	/**
	 * The client did not send its request (an upload's body) in time: nothing for a
	 * while, or too slowly.
	 */
	REQUEST_TIMEOUT("request_timeout", 408),
	/** The request conflicts with current state (e.g. same version, other bytes). */
	CONFLICT("conflict", 409),
	/** No agent is connected for the workspace a command names. */
	NO_AGENT("no_agent", 409),
	/** A frame or body is larger than allowed. */
	TOO_LARGE("too_large", 413),
	/** The connection holds the maximum number of subscriptions. */
	TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", 429),
	/** The client sends faster than its rate limit. */
	RATE_LIMITED("rate_limited", 429),
	/** A dependency (Redis, Postgres, an upstream API) is not available right now. */
	UNAVAILABLE("unavailable", 503),
	/**
	 * An optional integration the request needs is not set up on this hub (Tailscale
	 * without credentials): unlike {@link #UNAVAILABLE}, asking again changes nothing
	 * until an operator configures it. HTTP only.
	 */
	NOT_CONFIGURED("not_configured", 503),
	/** A fault on the hub's side. */
	INTERNAL("internal", 500);

	private final String code;

	private final int httpStatus;

	ErrorCode(String code, int httpStatus) {
		this.code = code;
		this.httpStatus = httpStatus;
	}

	/** The wire value, e.g. {@code forbidden}. */
	public String code() {
		return this.code;
	}

	/** The HTTP status used when this error answers an HTTP request. */
	public int httpStatus() {
		return this.httpStatus;
	}

}
