package dev.agenthub.agentclient.protocol;

import java.util.Set;

/**
 * Names of the messages of the agent protocol ({@code /agent/ws}).
 */
public final class MessageTypes {

	// agent -> server, connection control
	public static final String REGISTER = "register";

	public static final String HEARTBEAT = "heartbeat";

	// both directions
	public static final String PING = "ping";

	public static final String PONG = "pong";

	public static final String ERROR = "error";

	// server -> agent
	public static final String REGISTERED = "registered";

	public static final String COMMAND = "command";

	public static final String CANCEL = "cancel";

	public static final String TAB_START = "tab:start";

	public static final String TAB_STOP = "tab:stop";

	public static final String AGENT_UPDATE = "agent:update";

	// agent -> server, events
	public static final String OUTPUT = "output";

	public static final String STATUS = "status";

	public static final String TAB_STARTED = "tab:started";

	public static final String TAB_OUTPUT = "tab:output";

	public static final String TAB_STOPPED = "tab:stopped";

	public static final String GIT_STATUS = "git:status";

	public static final String STATS = "stats";

	public static final String TAILSCALE_STATUS = "tailscale:status";

	public static final String STARTUP_PROGRESS = "startup:progress";

	public static final String LIFECYCLE = "lifecycle";

	/** File upload, server → agent (mirrors shared-contracts' {@code MessageTypes}). */
	public static final String UPLOAD_BEGIN = "upload:begin";

	public static final String UPLOAD_CHUNK = "upload:chunk";

	public static final String UPLOAD_END = "upload:end";

	public static final String UPLOAD_ABORT = "upload:abort";

	/** File upload, agent → server. */
	public static final String UPLOAD_ACK = "upload:ack";

	public static final String UPLOAD_RESULT = "upload:result";

	/** {@code upload:result} codes. */
	public static final String UPLOAD_REFUSED_PATH_CODE = "refused_path";

	public static final String UPLOAD_DISK_FULL_CODE = "disk_full";

	public static final String UPLOAD_CHECKSUM_MISMATCH_CODE = "checksum_mismatch";

	public static final String UPLOAD_FAILED_CODE = "upload_failed";

	/**
	 * Events that may be dropped first when the outbound queue is full: a newer value or
	 * more output follows, whereas task status, tab start/stop and lifecycle transitions
	 * must not be lost.
	 */
	public static final Set<String> LOSSY = Set.of(OUTPUT, TAB_OUTPUT, GIT_STATUS, STATS, TAILSCALE_STATUS,
			STARTUP_PROGRESS);

	private MessageTypes() {
	}

}
