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

	/** Expiry; expired tokens are refused. */
	public static final String EXPIRES_AT = "exp";

	/** The {@code workspaces} value granting all workspaces. */
	public static final String ALL_WORKSPACES = "*";

	private Claims() {
	}

}
