package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.Collection;

import dev.agenthub.agentclient.outbound.ChunkKind;
import dev.agenthub.agentclient.outbound.OutboundEntry;
import dev.agenthub.agentclient.outbound.OutboundQueue;
import dev.agenthub.contracts.event.LifecycleState;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.contracts.message.MessageTypes;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hub agent's connection to the agent service. Thread-safe.
 * <p>
 * After {@link #start()} the client connects, registers, heartbeats at the interval the
 * server gives and reconnects after any disconnect with exponential backoff and full
 * jitter (reset once a connection stayed registered for {@code backoffResetAfter}).
 * Events passed to {@link #publish} and its shortcuts go through a bounded queue that
 * survives reconnects and leaves only while registered; delivery is at most once.
 * {@link #stop()} reports {@code shutting_down} and {@code off}, sends what is queued and
 * closes with 1000.
 * <p>
 * Per connection the client keeps a few small objects and one timer on the connection's
 * event loop, so thousands of clients can share one {@link HttpClient}'s loops (e.g. a
 * simulated fleet in a benchmark).
 */
public final class AgentClient implements AutoCloseable {

	/** Messages a full queue may drop or merge (state the next one repeats, output). */
	private static final java.util.Set<String> LOSSY = java.util.Set.of(MessageTypes.OUTPUT, MessageTypes.TAB_OUTPUT,
			MessageTypes.GIT_STATUS, MessageTypes.STATS, MessageTypes.TAILSCALE_STATUS, MessageTypes.STARTUP_PROGRESS);

	private final AgentClientConfig config;

	private final AgentHandler handler;

	private final HeartbeatContributor heartbeat;

	private final OutboundQueue queue;

	private final RecentIds recentTaskIds;

	private final ConnectionLoop loop;

	private volatile LifecycleState lifecycle = LifecycleState.CREATED;

	AgentClient(AgentClientConfig config, AgentHandler handler, HeartbeatContributor heartbeat, HttpClient httpClient) {
		this.config = config;
		this.handler = handler;
		this.heartbeat = heartbeat;
		this.queue = new OutboundQueue(config.outboundMaxMessages(), config.outboundMaxBytes(),
				config.coalesceMaxChars(), config.coalesceLinger());
		this.recentTaskIds = new RecentIds(config.recentTaskIds());
		this.loop = new ConnectionLoop(this, config, handler, httpClient);
	}

	/**
	 * Starts building a client.
	 * @return a builder with the defaults
	 */
	public static AgentClientBuilder builder() {
		return new AgentClientBuilder();
	}

	/**
	 * Starts connecting in the background. Calling it again has no effect.
	 */
	public void start() {
		this.loop.start();
	}

	/**
	 * Stops for good: when registered, queues {@code lifecycle shutting_down} (unless
	 * already reported) and {@code off}, sends everything queued and closes with 1000;
	 * otherwise closes at once. After {@code stopTimeout} the connection is closed
	 * regardless.
	 * @return completes when the client is {@link AgentState#STOPPED}
	 */
	public Mono<Void> stop() {
		return this.loop.stop();
	}

	/**
	 * Stops and waits up to {@code stopTimeout} plus a second (for non-reactive callers;
	 * not from an {@link AgentHandler} method or another non-blocking thread).
	 */
	@Override
	public void close() {
		stop().block(this.config.stopTimeout().plusSeconds(1));
	}

	/**
	 * Queues an event {@code {"type": type, "data": data}}. {@code tab:output} and
	 * {@code output} events go through output coalescing.
	 * @param type the event type, e.g. {@code stats}
	 * @param data a {@link JsonNode}, or anything Jackson can convert to an object;
	 * {@code null} for {@code {}}
	 * @return {@code false} if the event was dropped (queue full, or the client is
	 * stopping)
	 */
	public boolean publish(String type, Object data) {
		if (type == null || type.isBlank()) {
			throw new IllegalArgumentException("event type is required");
		}
		JsonNode node = AgentJson.toNode(data);
		if (MessageTypes.TAB_OUTPUT.equals(type) && node.path("tabId").isString() && node.path("data").isString()) {
			return tabOutput(node.path("tabId").asString(), node.path("data").asString(),
					node.path("stream").asString(null));
		}
		if (MessageTypes.OUTPUT.equals(type) && node.path("taskId").isString() && node.path("output").isString()) {
			return taskOutput(node.path("taskId").asString(), node.path("output").asString(),
					node.path("isError").asBoolean(false));
		}
		String json = AgentJson.message(type, node);
		if (utf8Length(json) > this.config.maxFramePayload()) {
			// the server would close the connection (1009) and the event would be lost
			// anyway
			LoggerFactory.getLogger(AgentClient.class)
				.warn("Dropping a '{}' event of {} characters: larger than the {}-byte frame limit", type,
						json.length(), this.config.maxFramePayload());
			return false;
		}
		return enqueue(new OutboundEntry.Encoded(json, LOSSY.contains(type)));
	}

	private static int utf8Length(String text) {
		int length = text.length();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				length += (c >= 0x800 && !Character.isSurrogate(c)) ? 2 : 1;
			}
		}
		return length;
	}

	/**
	 * Queues terminal-tab output ({@code tab:output}), coalesced with the tab's previous
	 * output.
	 * @param tabId the tab
	 * @param data the text
	 * @param stream {@code stdout}, {@code stderr} or {@code null}
	 * @return {@code false} if (some of) it was dropped
	 */
	public boolean tabOutput(String tabId, String data, String stream) {
		if (!this.loop.accepting()) {
			return false;
		}
		boolean accepted = this.queue.offerOutput(ChunkKind.TAB_OUTPUT, tabId, stream, false, data);
		this.loop.signalDrain();
		return accepted;
	}

	/**
	 * Waits until the outbound queue has room for {@code chars} of output (at most
	 * {@code maxWait}): a producer that can wait — a pump reading a process's pipe —
	 * calls it before {@link #taskOutput} or {@link #tabOutput}, so output faster than
	 * the hub takes it slows the process instead of being dropped.
	 * @return {@code false} when the wait ended first (the output may then be dropped)
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	public boolean awaitOutputRoom(int chars, Duration maxWait) throws InterruptedException {
		this.loop.signalDrain();
		return this.queue.awaitRoom(chars, maxWait);
	}

	/**
	 * Queues task output ({@code output}), coalesced with the task's previous output.
	 * @param taskId the task
	 * @param output the text
	 * @param isError whether it came from stderr
	 * @return {@code false} if (some of) it was dropped
	 */
	public boolean taskOutput(String taskId, String output, boolean isError) {
		if (!this.loop.accepting()) {
			return false;
		}
		boolean accepted = this.queue.offerOutput(ChunkKind.TASK_OUTPUT, taskId, null, isError, output);
		this.loop.signalDrain();
		return accepted;
	}

	/**
	 * Queues a task {@code status}.
	 * @param taskId the task
	 * @param status the status
	 * @param exitCode the exit code, or {@code null}
	 * @param error an error text, or {@code null}
	 * @return {@code false} if it was dropped
	 */
	public boolean taskStatus(String taskId, TaskState status, Integer exitCode, String error) {
		ObjectNode data = AgentJson.MAPPER.createObjectNode();
		data.put("taskId", taskId);
		data.put("status", status.wireName());
		if (exitCode != null) {
			data.put("exitCode", exitCode);
		}
		if (error != null) {
			data.put("error", error);
		}
		return publish(MessageTypes.STATUS, data);
	}

	/**
	 * Records the workspace lifecycle state (sent in every heartbeat) and queues a
	 * {@code lifecycle} event.
	 * @param state the new state
	 * @return {@code false} if the event was dropped
	 */
	public boolean lifecycle(LifecycleState state) {
		synchronized (this.loop.lock()) {
			if (!this.loop.accepting()) {
				return false;
			}
			return enqueueLifecycle(state);
		}
	}

	boolean enqueueLifecycle(LifecycleState state) {
		this.lifecycle = state;
		ObjectNode data = AgentJson.MAPPER.createObjectNode().put("state", state.wireName());
		boolean accepted = this.queue
			.offer(new OutboundEntry.Encoded(AgentJson.message(MessageTypes.LIFECYCLE, data), false));
		this.loop.signalDrain();
		return accepted;
	}

	private boolean enqueue(OutboundEntry entry) {
		if (!this.loop.accepting()) {
			return false;
		}
		boolean accepted = this.queue.offer(entry);
		this.loop.signalDrain();
		return accepted;
	}

	/**
	 * The connection state.
	 * @return the state
	 */
	public AgentState state() {
		return this.loop.state();
	}

	/**
	 * The lifecycle state last reported.
	 * @return the lifecycle state
	 */
	public LifecycleState lifecycle() {
		return this.lifecycle;
	}

	/**
	 * The session id of the current registration.
	 * @return the id, or {@code null} before the first registration
	 */
	public String sessionId() {
		return this.loop.sessionId();
	}

	/**
	 * How many events were dropped because the outbound queue was full.
	 * @return the count
	 */
	public long droppedEvents() {
		return this.queue.dropped();
	}

	/**
	 * How many events wait in the outbound queue.
	 * @return the count
	 */
	public int queuedEvents() {
		return this.queue.size();
	}

	public AgentClientConfig config() {
		return this.config;
	}

	// --- used by AgentSession and ConnectionLoop

	AgentHandler handler() {
		return this.handler;
	}

	HeartbeatContributor heartbeatContributor() {
		return this.heartbeat;
	}

	OutboundQueue queue() {
		return this.queue;
	}

	ConnectionLoop loop() {
		return this.loop;
	}

	/** The {@code register} message, with the tasks the handler knows right now. */
	String registerJson() {
		Collection<String> tasks = null;
		try {
			tasks = this.handler.runningTasks();
		}
		catch (RuntimeException ex) {
			LoggerFactory.getLogger(AgentClient.class)
				.warn("AgentHandler.runningTasks failed; registering without a task list", ex);
		}
		return AgentJson.registerMessage(this.config, tasks);
	}

	boolean firstTimeTask(String taskId) {
		return this.recentTaskIds.add(taskId);
	}

	/**
	 * Whether a cancel names a task this agent cannot be running: the handler lists its
	 * tasks, does not list this one, and this client never received it.
	 */
	boolean unknownTask(String taskId) {
		Collection<String> tasks;
		try {
			tasks = this.handler.runningTasks();
		}
		catch (RuntimeException ex) {
			return false;
		}
		return tasks != null && !tasks.contains(taskId) && !this.recentTaskIds.contains(taskId);
	}

	void safely(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			LoggerFactory.getLogger(AgentClient.class).warn("Agent handler failed", ex);
		}
	}

}
