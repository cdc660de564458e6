package dev.agenthub.agentclient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.agenthub.agentclient.outbound.ChunkKind;
import dev.agenthub.agentclient.outbound.OutboundEntry;
import dev.agenthub.agentclient.outbound.OutboundQueue;
import dev.agenthub.agentclient.protocol.DisconnectInfo;
import dev.agenthub.agentclient.protocol.LifecycleState;
import dev.agenthub.agentclient.protocol.MessageTypes;
import dev.agenthub.agentclient.protocol.ReconnectDecision;
import dev.agenthub.agentclient.protocol.TaskStatus;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
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

	private static final Logger logger = LoggerFactory.getLogger(AgentClient.class);

	private final AgentClientConfig config;

	private final AgentHandler handler;

	private final HeartbeatContributor heartbeat;

	private final HttpClient.WebsocketSender websocket;

	private final OutboundQueue queue;

	private final RecentIds recentTaskIds;

	private final Backoff backoff;

	private final String registerJson;

	private final Object lock = new Object();

	private final Sinks.Empty<Void> stopped = Sinks.empty();

	private volatile AgentState state = AgentState.NEW;

	private volatile LifecycleState lifecycle = LifecycleState.CREATED;

	private volatile AgentSession current;

	private volatile String sessionId;

	private boolean stopping;

	private Disposable reconnectTimer;

	AgentClient(AgentClientConfig config, AgentHandler handler, HeartbeatContributor heartbeat, HttpClient httpClient) {
		this.config = config;
		this.handler = handler;
		this.heartbeat = heartbeat;
		this.queue = new OutboundQueue(config.outboundMaxMessages(), config.outboundMaxBytes(),
				config.coalesceMaxChars(), config.coalesceLinger());
		this.recentTaskIds = new RecentIds(config.recentTaskIds());
		this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(),
				() -> ThreadLocalRandom.current().nextDouble());
		this.registerJson = AgentJson.registerMessage(config);
		this.websocket = httpClient
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
			.headers((headers) -> {
				if (config.token() != null && !config.tokenInQuery()) {
					headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + config.token());
				}
			})
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(config.maxFramePayload()).build())
			.uri(connectUri(config));
	}

	/**
	 * Starts building a client.
	 * @return a builder with the defaults
	 */
	public static AgentClientBuilder builder() {
		return new AgentClientBuilder();
	}

	private static URI connectUri(AgentClientConfig config) {
		if (config.token() == null || !config.tokenInQuery()) {
			return config.uri();
		}
		String separator = (config.uri().getRawQuery() != null) ? "&" : "?";
		return URI
			.create(config.uri() + separator + "token=" + URLEncoder.encode(config.token(), StandardCharsets.UTF_8));
	}

	/**
	 * Starts connecting in the background. Calling it again has no effect.
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.state != AgentState.NEW) {
				return;
			}
			setState(AgentState.CONNECTING);
		}
		connect();
	}

	/**
	 * Stops for good: when registered, queues {@code lifecycle shutting_down} (unless
	 * already reported) and {@code off}, sends everything queued and closes with 1000;
	 * otherwise closes at once. After {@code stopTimeout} the connection is closed
	 * regardless.
	 * @return completes when the client is {@link AgentState#STOPPED}
	 */
	public Mono<Void> stop() {
		AgentSession toClose = null;
		boolean finishNow = false;
		synchronized (this.lock) {
			if (this.stopping || this.state == AgentState.STOPPED) {
				return this.stopped.asMono();
			}
			this.stopping = true;
			if (this.reconnectTimer != null) {
				this.reconnectTimer.dispose();
			}
			AgentSession session = this.current;
			if (session != null && session.isRegistered()) {
				if (this.lifecycle != LifecycleState.SHUTTING_DOWN && this.lifecycle != LifecycleState.OFF) {
					enqueueLifecycle(LifecycleState.SHUTTING_DOWN);
				}
				enqueueLifecycle(LifecycleState.OFF);
				this.queue.offer(new OutboundEntry.CloseMarker());
				setState(AgentState.STOPPING);
			}
			else if (session != null) {
				toClose = session;
				setState(AgentState.STOPPING);
			}
			else {
				finishNow = true;
			}
		}
		if (toClose != null) {
			toClose.dispose();
		}
		else if (finishNow) {
			finishStop();
		}
		else {
			signalDrain();
			Mono.delay(this.config.stopTimeout()).subscribe((tick) -> forceClose());
		}
		return this.stopped.asMono();
	}

	/**
	 * Stops and waits up to {@code stopTimeout} plus a second (for non-reactive callers).
	 */
	@Override
	public void close() {
		stop().block(this.config.stopTimeout().plusSeconds(1));
	}

	private void forceClose() {
		AgentSession session = this.current;
		if (session != null) {
			session.dispose();
		}
		else {
			finishStop();
		}
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
		return enqueue(new OutboundEntry.Encoded(AgentJson.message(type, node), MessageTypes.LOSSY.contains(type)));
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
		if (!accepting()) {
			return false;
		}
		boolean accepted = this.queue.offerOutput(ChunkKind.TAB_OUTPUT, tabId, stream, false, data);
		signalDrain();
		return accepted;
	}

	/**
	 * Queues task output ({@code output}), coalesced with the task's previous output.
	 * @param taskId the task
	 * @param output the text
	 * @param isError whether it came from stderr
	 * @return {@code false} if (some of) it was dropped
	 */
	public boolean taskOutput(String taskId, String output, boolean isError) {
		if (!accepting()) {
			return false;
		}
		boolean accepted = this.queue.offerOutput(ChunkKind.TASK_OUTPUT, taskId, null, isError, output);
		signalDrain();
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
	public boolean taskStatus(String taskId, TaskStatus status, Integer exitCode, String error) {
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
		synchronized (this.lock) {
			return enqueueLifecycle(state);
		}
	}

	private boolean enqueueLifecycle(LifecycleState state) {
		this.lifecycle = state;
		ObjectNode data = AgentJson.MAPPER.createObjectNode().put("state", state.wireName());
		boolean accepted = this.queue
			.offer(new OutboundEntry.Encoded(AgentJson.message(MessageTypes.LIFECYCLE, data), false));
		signalDrain();
		return accepted;
	}

	private boolean enqueue(OutboundEntry entry) {
		if (!accepting()) {
			return false;
		}
		boolean accepted = this.queue.offer(entry);
		signalDrain();
		return accepted;
	}

	private boolean accepting() {
		synchronized (this.lock) {
			return !this.stopping && this.state != AgentState.STOPPED;
		}
	}

	private void signalDrain() {
		AgentSession session = this.current;
		if (session != null) {
			session.drain();
		}
	}

	/**
	 * The connection state.
	 * @return the state
	 */
	public AgentState state() {
		return this.state;
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
		return this.sessionId;
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

	// --- used by AgentSession on the connection's event loop

	AgentHandler handler() {
		return this.handler;
	}

	HeartbeatContributor heartbeatContributor() {
		return this.heartbeat;
	}

	OutboundQueue queue() {
		return this.queue;
	}

	String registerJson() {
		return this.registerJson;
	}

	boolean firstTimeTask(String taskId) {
		return this.recentTaskIds.add(taskId);
	}

	void sessionConnected(AgentSession session) {
		synchronized (this.lock) {
			if (this.current == session && !this.stopping) {
				setState(AgentState.REGISTERING);
			}
		}
	}

	void sessionRegistered(AgentSession session, String sessionId, Duration heartbeatInterval) {
		synchronized (this.lock) {
			if (this.current != session || this.stopping) {
				return;
			}
			this.sessionId = sessionId;
			setState(AgentState.REGISTERED);
		}
		safely(() -> this.handler.onRegistered(sessionId, heartbeatInterval));
	}

	private void connect() {
		AgentSession session;
		synchronized (this.lock) {
			if (this.stopping) {
				return;
			}
			session = new AgentSession(this);
			this.current = session;
			setState(AgentState.CONNECTING);
		}
		Disposable connection = this.websocket.handle(session::run).then().onErrorResume((error) -> {
			session.failed(error);
			return Mono.empty();
		}).doFinally((signal) -> afterSession(session)).subscribe();
		session.connection(connection);
	}

	private void afterSession(AgentSession session) {
		DisconnectInfo info = session.disconnectInfo();
		synchronized (this.lock) {
			if (this.current == session) {
				this.current = null;
			}
			if (this.stopping) {
				finishStop();
				return;
			}
		}
		logger.debug("Agent connection to {} ended: {}", this.config.uri(), info);
		ReconnectDecision decision;
		try {
			decision = this.handler.onDisconnect(info);
		}
		catch (RuntimeException ex) {
			logger.warn("Agent handler failed in onDisconnect; using the default policy", ex);
			decision = ReconnectDecision.defaultFor(info);
		}
		Duration delay;
		int attempt;
		synchronized (this.lock) {
			if (this.stopping) {
				finishStop();
				return;
			}
			if (decision == ReconnectDecision.STOP) {
				this.stopping = true;
				finishStop();
				return;
			}
			if (info.registered() && info.registeredFor().compareTo(this.config.backoffResetAfter()) >= 0) {
				this.backoff.reset();
			}
			delay = (decision == ReconnectDecision.BACK_OFF_MAX) ? this.backoff.nextAtMax() : this.backoff.next();
			attempt = this.backoff.attempt();
			setState(AgentState.RECONNECT_WAIT);
			this.reconnectTimer = Mono.delay(delay).subscribe((tick) -> connect());
		}
		if (info.closeCode() > 0 || info.error() != null) {
			logger.info("Agent disconnected from {} (close {} {}{}); reconnect attempt {} in {} ms", this.config.uri(),
					info.closeCode(), info.closeReason(), (info.error() != null) ? ", " + info.error() : "", attempt,
					delay.toMillis());
		}
		int finalAttempt = attempt;
		safely(() -> this.handler.onReconnectScheduled(finalAttempt, delay));
	}

	private void finishStop() {
		synchronized (this.lock) {
			this.stopping = true;
			this.queue.clear();
			setState(AgentState.STOPPED);
		}
		this.stopped.tryEmitEmpty();
	}

	private void setState(AgentState next) {
		AgentState previous = this.state;
		if (previous == next || previous == AgentState.STOPPED) {
			return;
		}
		this.state = next;
		safely(() -> this.handler.onStateChange(previous, next));
	}

	void safely(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Agent handler failed", ex);
		}
	}

}
