package dev.agenthub.contracts.message;

/**
 * Control message types of the raw JSON protocols (both directions). Event types are in
 * {@link dev.agenthub.contracts.event.EventType}.
 */
public final class MessageTypes {

	/** Both directions: a client's first-message auth, the server's verdict. */
	public static final String AUTH = "auth";

	public static final String ERROR = "error";

	public static final String PING = "ping";

	public static final String PONG = "pong";

	public static final String SUBSCRIBE = "subscribe";

	public static final String SUBSCRIBED = "subscribed";

	public static final String UNSUBSCRIBE = "unsubscribe";

	public static final String UNSUBSCRIBED = "unsubscribed";

	public static final String SYNC_REQUEST = "sync_request";

	public static final String SYNC_RESPONSE = "sync_response";

	public static final String COMMAND = "command";

	public static final String ACK = "ack";

	/** Agent to server: the first message of an agent session. */
	public static final String REGISTER = "register";

	/** Server to agent: registration accepted. */
	public static final String REGISTERED = "registered";

	public static final String HEARTBEAT = "heartbeat";

	/** Agent to server: a command's output chunk. */
	public static final String OUTPUT = "output";

	/** Agent to server: a command's state. */
	public static final String STATUS = "status";

	/** Agent to server: its lifecycle state. */
	public static final String LIFECYCLE = "lifecycle";

	/** Server to agent: cancel a command. */
	public static final String CANCEL = "cancel";

	/** Server to agent: its version is below the required minimum. */
	public static final String AGENT_UPDATE = "agent:update";

	/** Server to agent: open a terminal tab. */
	public static final String TAB_START = "tab:start";

	/** Server to agent: close a terminal tab. */
	public static final String TAB_STOP = "tab:stop";

	/**
	 * Server to agent: text typed into a tab, {@code {"tabId","data"}} (UTF-8 text, at
	 * most {@link #TAB_INPUT_MAX_CHARS} characters), written to the tab's stdin in the
	 * order sent.
	 */
	public static final String TAB_INPUT = "tab:input";

	/** The most characters of one {@link #TAB_INPUT}: a paste of a few pages. */
	public static final int TAB_INPUT_MAX_CHARS = 16 * 1024;

	/** Agent to server: the events an agent publishes (names of the event catalogue). */
	public static final String TAB_STARTED = "tab:started";

	public static final String TAB_OUTPUT = "tab:output";

	public static final String TAB_STOPPED = "tab:stopped";

	public static final String GIT_STATUS = "git:status";

	public static final String STATS = "stats";

	public static final String TAILSCALE_STATUS = "tailscale:status";

	public static final String STARTUP_PROGRESS = "startup:progress";

	/**
	 * Server → agent: a file upload starts, {@code {"uploadId","path","mode","size"}}
	 * ({@code mode} octal, e.g. {@code "0600"}).
	 */
	public static final String UPLOAD_BEGIN = "upload:begin";

	/** Server → agent: the next piece, {@code {"uploadId","seq","data"}} (base64). */
	public static final String UPLOAD_CHUNK = "upload:chunk";

	/**
	 * Server → agent: every piece was sent, {@code {"uploadId","size","sha256"}}; the
	 * agent checks both, then moves the file into place atomically with its mode.
	 */
	public static final String UPLOAD_END = "upload:end";

	/** Server → agent: give the upload up and delete what was written. */
	public static final String UPLOAD_ABORT = "upload:abort";

	/**
	 * Agent → server: every piece up to {@code seq} is written,
	 * {@code {"uploadId","seq"}}; sent at least every 4th piece (the server keeps at
	 * least 8 unacknowledged).
	 */
	public static final String UPLOAD_ACK = "upload:ack";

	/**
	 * Agent → server: the outcome, {@code {"uploadId","ok":true,"path","size","sha256"}}
	 * or {@code {"uploadId","ok":false,"code","error"}} with code one of
	 * {@link #UPLOAD_REFUSED_PATH}, {@link #UPLOAD_DISK_FULL},
	 * {@link #UPLOAD_CHECKSUM_MISMATCH}, {@link #UPLOAD_FAILED}. A failed upload leaves
	 * no file behind.
	 */
	public static final String UPLOAD_RESULT = "upload:result";

	/** Upload outcome: the path is not one the agent writes to. */
	public static final String UPLOAD_REFUSED_PATH = "refused_path";

	/** Upload outcome: the disk is full. */
	public static final String UPLOAD_DISK_FULL = "disk_full";

	/** Upload outcome: the bytes written do not match the announced size or SHA-256. */
	public static final String UPLOAD_CHECKSUM_MISMATCH = "checksum_mismatch";

	/** Upload outcome: any other failure (I/O error, busy, aborted). */
	public static final String UPLOAD_FAILED = "upload_failed";

	private MessageTypes() {
	}

}
