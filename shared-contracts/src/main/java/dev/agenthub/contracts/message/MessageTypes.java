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

	/** Agent to server: the events an agent publishes (names of the event catalogue). */
	public static final String TAB_STARTED = "tab:started";

	public static final String TAB_OUTPUT = "tab:output";

	public static final String TAB_STOPPED = "tab:stopped";

	public static final String GIT_STATUS = "git:status";

	public static final String STATS = "stats";

	public static final String TAILSCALE_STATUS = "tailscale:status";

	public static final String STARTUP_PROGRESS = "startup:progress";

	private MessageTypes() {
	}

}
