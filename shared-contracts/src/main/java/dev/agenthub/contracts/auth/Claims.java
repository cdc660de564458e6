package dev.agenthub.contracts.auth;

/** Names of the JWT claims hub tokens carry (the brief, section 5). */
public final class Claims {

	/** User id, agent id or service name. */
	public static final String SUBJECT = "sub";

	/** Any of {@code user}, {@code admin}, {@code agent}, {@code service}. */
	public static final String ROLES = "roles";

	/** Workspace ids a user may see; {@code ["*"]} for all. */
	public static final String WORKSPACES = "workspaces";

	/** For an agent token: the one workspace it serves. */
	public static final String WORKSPACE = "workspace";

	/**
	 * Optional, for a user token: the workspaces in which the user may run commands and
	 * upload files (a subset of {@link #WORKSPACES} in effect); without it, all of the
	 * user's workspaces.
	 */
	public static final String EXEC = "exec";

	/** Expiry; required: expired tokens and tokens without one are refused. */
	public static final String EXPIRES_AT = "exp";

	/** The {@code workspaces} value granting all workspaces. */
	public static final String ALL_WORKSPACES = "*";

	private Claims() {
	}

}
