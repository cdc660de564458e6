package dev.agenthub.contracts;

import java.time.Duration;

/**
 * Default limits of the hub (the brief, section 6). Services expose each as a
 * configuration property whose default is the value here.
 */
public final class Limits {

	/** Largest inbound WebSocket frame: 64 KiB; larger closes with 1009. */
	public static final int MAX_FRAME_BYTES = 64 * 1024;

	/** Sustained inbound messages per second per connection. */
	public static final int RATE_PER_SECOND = 100;

	/** Inbound burst allowance per connection. */
	public static final int RATE_BURST = 200;

	/** Subscriptions one connection may hold (implicit channels not counted). */
	public static final int MAX_SUBSCRIPTIONS = 256;

	/** Bytes queued for a slow reader before it is closed with 4010. */
	public static final int MAX_OUTBOUND_BYTES = 1024 * 1024;

	/** Longest channel name. */
	public static final int MAX_CHANNEL_LENGTH = 255;

	/** Longest id inside a channel name (workspace, user, task, ...). */
	public static final int MAX_ID_LENGTH = 128;

	/** Longest event type name. */
	public static final int MAX_EVENT_TYPE_LENGTH = 64;

	/** Server ping interval. */
	public static final Duration PING_INTERVAL = Duration.ofSeconds(30);

	/** Silence after which a socket is closed. */
	public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

	/** Time a client has to authenticate by first message. */
	public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(5);

	/** Agent heartbeat interval. */
	public static final Duration AGENT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

	/** Bytes of a task's output kept with the task. */
	public static final int TASK_OUTPUT_TAIL_BYTES = 64 * 1024;

	private Limits() {
	}

}
