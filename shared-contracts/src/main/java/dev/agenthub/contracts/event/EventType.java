package dev.agenthub.contracts.event;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.agenthub.contracts.Limits;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.message.MessageTypes;

/**
 * The event catalogue: the names clients already use. Types with a payload class are
 * validated field by field; the others need a JSON object as data. Names outside the
 * catalogue are accepted from backends (e.g. entity changes such as
 * {@code task.statusChanged} for the timestamp sync protocol) as long as they are
 * well-formed, see {@link #checkName(String)}.
 */
public enum EventType {

	WORKSPACE_STATE("workspace:state", WorkspaceState.class), CONTAINER_STATUS("container:status", null),
	STARTUP_PROGRESS(MessageTypes.STARTUP_PROGRESS, StartupProgress.class), REPOSITORY_STATE("repository:state", null),
	TAB_STARTED(MessageTypes.TAB_STARTED, TabStarted.class), TAB_OUTPUT(MessageTypes.TAB_OUTPUT, TabOutput.class),
	TAB_STOPPED(MessageTypes.TAB_STOPPED, TabStopped.class), GIT_STATUS(MessageTypes.GIT_STATUS, GitStatus.class),
	STATS(MessageTypes.STATS, Stats.class), TAILSCALE_STATUS(MessageTypes.TAILSCALE_STATUS, TailscaleStatus.class),
	TASK_OUTPUT("task:output", TaskOutput.class), TASK_STATUS("task:status", TaskStatus.class),
	AGENT_OUTPUT("agent:output", null), AGENT_STATUS_EVENT("agent:status", null), AGENT_CONTEXT("agent:context", null),
	AGENT_STATUS("agent_status", AgentStatus.class), WORKSPACE_UPDATED("workspace:updated", null),
	CHAT_MESSAGE("chat_message", ChatMessage.class), NOTIFICATION("notification", Notification.class),
	USER_PRESENCE("user_presence", UserPresence.class), TASK_STATUS_CHANGED("task.statusChanged", null);

	private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.:-]*");

	/**
	 * Names Socket.IO keeps for itself: the hub's Socket.IO server cannot emit an event
	 * of these names, so its clients would miss it without a word.
	 */
	private static final Set<String> SOCKET_IO_RESERVED = Set.of("connect", "connect_error", "disconnect",
			"disconnecting", "newListener", "removeListener");

	private static final Map<String, EventType> BY_NAME = new HashMap<>();

	static {
		for (EventType type : values()) {
			BY_NAME.put(type.wireName, type);
		}
	}

	private final String wireName;

	private final Class<? extends EventPayload> payloadType;

	EventType(String wireName, Class<? extends EventPayload> payloadType) {
		this.wireName = wireName;
		this.payloadType = payloadType;
	}

	/** The name on the wire, e.g. {@code tab:output}. */
	public String wireName() {
		return this.wireName;
	}

	/** The payload record, or {@code null} when any JSON object is accepted. */
	public Class<? extends EventPayload> payloadType() {
		return this.payloadType;
	}

	/** The catalogue entry for a wire name, or {@code null}. */
	public static EventType of(String wireName) {
		return BY_NAME.get(wireName);
	}

	/**
	 * Checks that an event name is well-formed: a letter, then letters, digits and
	 * {@code _ . : -}, at most {@value Limits#MAX_EVENT_TYPE_LENGTH} characters, not one
	 * of the names Socket.IO reserves ({@code connect}, {@code disconnect}, …).
	 * @param name the name
	 * @return the name
	 */
	public static String checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw ContractViolation.badRequest("type is required");
		}
		if (name.length() > Limits.MAX_EVENT_TYPE_LENGTH) {
			throw ContractViolation.badRequest("type is longer than " + Limits.MAX_EVENT_TYPE_LENGTH + " characters");
		}
		if (!NAME.matcher(name).matches()) {
			throw ContractViolation.badRequest("type '" + name
					+ "' is not a valid event name (a letter, then letters, digits, '_', '.', ':' or '-')");
		}
		if (SOCKET_IO_RESERVED.contains(name)) {
			throw ContractViolation
				.badRequest("type '" + name + "' is reserved by Socket.IO (its clients could not " + "receive it)");
		}
		return name;
	}

}
