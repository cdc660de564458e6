package dev.agenthub.agentclient.protocol;

/**
 * WebSocket close codes the agent service uses and how the client reacts to them by
 * default.
 */
public final class CloseCodes {

	/** Normal closure; the client closes with it on {@code stop()}. */
	public static final int NORMAL = 1000;

	/**
	 * The server is going away (shutdown, redeploy): reconnect with the normal backoff.
	 */
	public static final int GOING_AWAY = 1001;

	/** A protocol violation: reconnect only slowly (the same client would repeat it). */
	public static final int PROTOCOL_ERROR = 1002;

	/** A frame was larger than the server accepts. */
	public static final int MESSAGE_TOO_BIG = 1009;

	/** An unexpected server fault. */
	public static final int INTERNAL_ERROR = 1011;

	/** Authentication failed or expired: reconnect only slowly. */
	public static final int UNAUTHORIZED = 4001;

	/** The token is not allowed to act for the workspace: reconnect only slowly. */
	public static final int FORBIDDEN = 4003;

	/** The server rate-limited the connection. */
	public static final int RATE_LIMITED = 4008;

	/** Another agent took over the workspace: reconnect only slowly by default. */
	public static final int REPLACED = 4009;

	/** The client read too slowly. */
	public static final int SLOW_READER = 4010;

	/** The server missed this agent's heartbeats. */
	public static final int HEARTBEAT_TIMEOUT = 4011;

	private CloseCodes() {
	}

}
