package dev.agenthub.agentclient;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.agentclient.outbound.OutboundEntry;
import dev.agenthub.agentclient.outbound.OutputChunk;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.agentclient.protocol.DisconnectInfo;
import dev.agenthub.contracts.message.MessageTypes;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.node.ObjectNode;

/**
 * One WebSocket connection of an {@link AgentClient}: sends {@code register}, then, once
 * registered, heartbeats and the outbound queue. Frames leave through one demand-driven
 * drain loop, so nothing is buffered beyond what Netty asked for and the queue keeps its
 * bound.
 */
final class AgentSession {

	private static final Logger logger = LoggerFactory.getLogger(AgentSession.class);

	private static final int MAX_CONTROL_MESSAGES = 16;

	private static final String PONG = "{\"type\":\"pong\"}";

	private final AgentClient client;

	private final InboundDispatcher dispatcher;

	private final ArrayDeque<String> control = new ArrayDeque<>(2);

	private final AtomicInteger wip = new AtomicInteger();

	private final AtomicBoolean wakeScheduled = new AtomicBoolean();

	private final RateLimiter rateLimiter;

	private volatile FluxSink<String> sink;

	private volatile Channel channel;

	private volatile Disposable connection;

	private volatile boolean registered;

	private volatile long registeredAtNanos;

	private volatile long unregisteredAtNanos;

	private volatile int closeCode = -1;

	private volatile String closeReason = "";

	private volatile Throwable failure;

	private volatile boolean closing;

	private volatile boolean disposed;

	private ScheduledFuture<?> heartbeatTask;

	private volatile ScheduledFuture<?> registerTimer;

	AgentSession(AgentClient client) {
		this.client = client;
		this.dispatcher = new InboundDispatcher(client, this);
		this.rateLimiter = new RateLimiter(client.config().maxMessagesPerSecond(), client.config().messageBurst(),
				System.nanoTime());
	}

	Publisher<Void> run(WebsocketInbound in, WebsocketOutbound out) {
		in.withConnection((connection) -> {
			this.channel = connection.channel();
			Duration idle = this.client.config().readIdleTimeout();
			if (idle != null) {
				connection.onReadIdle(idle.toMillis(), () -> {
					logger.warn("Nothing received from the hub for {} ms; dropping the connection", idle.toMillis());
					connection.dispose();
				});
			}
			this.registerTimer = connection.channel().eventLoop().schedule(() -> {
				if (!this.registered) {
					logger.warn("The hub did not answer register within {} ms; reconnecting",
							this.client.config().registerTimeout().toMillis());
					connection.dispose();
				}
			}, this.client.config().registerTimeout().toMillis(), TimeUnit.MILLISECONDS);
		});
		in.receiveCloseStatus().subscribe((status) -> {
			this.closeCode = status.code();
			this.closeReason = status.reasonText();
		});
		this.client.loop().sessionConnected(this);
		Sinks.Empty<Void> inboundDone = Sinks.empty();
		Mono<Void> inbound = in.aggregateFrames(this.client.config().maxFramePayload())
			.receiveFrames()
			.doOnNext(this::onFrame)
			.then()
			.doFinally((signal) -> inboundDone.tryEmitEmpty());
		Flux<String> frames = Flux.<String>create((emitter) -> {
			this.sink = emitter;
			emitter.onRequest((n) -> drain());
		}, FluxSink.OverflowStrategy.BUFFER).takeUntilOther(inboundDone.asMono());
		sendControl(this.client.registerJson());
		Mono<Void> outbound = out.sendString(frames)
			.then()
			.then(Mono
				.defer(() -> this.closing ? out.sendClose(CloseCode.NORMAL.code(), "agent stopping") : Mono.empty()));
		return Mono.when(inbound, outbound).doFinally((signal) -> ended());
	}

	private void onFrame(WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame text) {
			this.dispatcher.dispatch(text.text());
		}
		else {
			logger.debug("Ignoring non-text frame {}", frame.getClass().getSimpleName());
		}
	}

	void registered(String sessionId, Duration heartbeatInterval) {
		if (this.registered) {
			return;
		}
		this.registeredAtNanos = System.nanoTime();
		this.registered = true;
		ScheduledFuture<?> timer = this.registerTimer;
		if (timer != null) {
			timer.cancel(false);
		}
		Channel ch = this.channel;
		if (ch != null) {
			long millis = Math.max(1, heartbeatInterval.toMillis());
			this.heartbeatTask = ch.eventLoop()
				.scheduleAtFixedRate(this::sendHeartbeat, millis, millis, TimeUnit.MILLISECONDS);
		}
		this.client.loop().sessionRegistered(this, sessionId, heartbeatInterval);
		drain();
	}

	void pong() {
		sendControl(PONG);
	}

	private void sendHeartbeat() {
		ObjectNode data = AgentJson.MAPPER.createObjectNode();
		try {
			this.client.heartbeatContributor().contribute(data);
		}
		catch (RuntimeException ex) {
			logger.warn("Heartbeat contributor failed; sending a minimal heartbeat", ex);
			data.removeAll();
		}
		if (!data.has("tabs")) {
			data.putArray("tabs");
		}
		data.put("lifecycle", this.client.lifecycle().wireName());
		sendControl(AgentJson.message(MessageTypes.HEARTBEAT, data));
	}

	private void sendControl(String json) {
		synchronized (this.control) {
			if (this.control.size() >= MAX_CONTROL_MESSAGES) {
				logger.warn("Dropping control message: connection not writable");
				return;
			}
			this.control.addLast(json);
		}
		drain();
	}

	private String pollControl() {
		synchronized (this.control) {
			return this.control.pollFirst();
		}
	}

	/**
	 * Moves frames to Netty while it has demand: control messages first, then (once
	 * registered) ready entries of the outbound queue. Safe to call from any thread.
	 */
	void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			FluxSink<String> emitter = this.sink;
			if (emitter != null && !this.closing) {
				emitLoop(emitter);
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void emitLoop(FluxSink<String> emitter) {
		while (emitter.requestedFromDownstream() > 0 && !emitter.isCancelled()) {
			String control = pollControl();
			if (control != null) {
				this.rateLimiter.consume();
				emitter.next(control);
				continue;
			}
			if (!this.registered) {
				return;
			}
			long now = System.nanoTime();
			long wait = this.rateLimiter.nanosUntilAvailable(now);
			if (wait > 0) {
				scheduleWake(wait);
				return;
			}
			OutboundEntry entry = this.client.queue().pollReady(now);
			if (entry == null) {
				break;
			}
			if (entry instanceof OutboundEntry.CloseMarker) {
				this.closing = true;
				emitter.complete();
				return;
			}
			this.rateLimiter.consume();
			emitter.next(encode(entry));
		}
		if (this.registered) {
			long deadline = this.client.queue().headDeadlineNanos();
			if (deadline != 0) {
				scheduleWake(Math.max(0, deadline - System.nanoTime()));
			}
		}
	}

	private static String encode(OutboundEntry entry) {
		if (entry instanceof OutboundEntry.Encoded encoded) {
			return encoded.json();
		}
		if (entry instanceof OutputChunk chunk) {
			return chunk.encode(AgentJson.MAPPER);
		}
		return null;
	}

	private void scheduleWake(long delayNanos) {
		Channel ch = this.channel;
		if (ch == null || !this.wakeScheduled.compareAndSet(false, true)) {
			return;
		}
		ch.eventLoop().schedule(() -> {
			this.wakeScheduled.set(false);
			drain();
		}, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void ended() {
		if (this.registered) {
			this.unregisteredAtNanos = System.nanoTime();
		}
		ScheduledFuture<?> task = this.heartbeatTask;
		if (task != null) {
			task.cancel(false);
		}
		ScheduledFuture<?> timer = this.registerTimer;
		if (timer != null) {
			timer.cancel(false);
		}
	}

	void connection(Disposable connection) {
		this.connection = connection;
		if (this.disposed) {
			connection.dispose();
		}
	}

	void dispose() {
		this.disposed = true;
		Disposable c = this.connection;
		if (c != null) {
			c.dispose();
		}
	}

	void failed(Throwable error) {
		this.failure = error;
	}

	boolean isRegistered() {
		return this.registered;
	}

	DisconnectInfo disconnectInfo() {
		boolean wasRegistered = this.registered;
		long end = (this.unregisteredAtNanos != 0) ? this.unregisteredAtNanos : System.nanoTime();
		Duration registeredFor = wasRegistered ? Duration.ofNanos(end - this.registeredAtNanos) : Duration.ZERO;
		return new DisconnectInfo(this.closeCode, this.closeReason, this.failure, wasRegistered, registeredFor);
	}

}
