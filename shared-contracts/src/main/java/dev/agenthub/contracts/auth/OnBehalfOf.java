package dev.agenthub.contracts.auth;

/**
 * How a service (the gateway) tells another (agent-service) which user it acts for, after
 * it checked that user's rights itself: the receiving service never sees the user's
 * token, so it records the user (e.g. a task's {@code requestedBy}) and trusts the
 * caller's service token for the check.
 */
public final class OnBehalfOf {

	/** The request header naming the user. */
	public static final String HEADER = "X-Hub-On-Behalf-Of";

	private OnBehalfOf() {
	}

}
