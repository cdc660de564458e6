package dev.agenthub.agentclient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.agenthub.agentclient.outbound.OutboundEntry;
import dev.agenthub.agentclient.protocol.DisconnectInfo;
import dev.agenthub.contracts.event.LifecycleState;
import dev.agenthub.agentclient.protocol.ReconnectDecision;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * The connection lifecycle of an {@link AgentClient}: connect, let the session register,
 * and after each disconnect ask the handler and reconnect with backoff, until stopped.
 * All state transitions happen under one lock.
 */
final class ConnectionLoop {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLoop.class);

	private final AgentClient client;

	private final AgentClientConfig config;

	private final AgentHandler handler;

	private final HttpClient.WebsocketSender websocket;

	private final Backoff backoff;

	private final Object lock = new Object();

	private final Sinks.Empty<Void> stopped = Sinks.empty();

	private volatile AgentState state = AgentState.NEW;

	private volatile AgentSession current;

	private volatile String sessionId;

	private boolean stopping;

	private Disposable reconnectTimer;

	ConnectionLoop(AgentClient client, AgentClientConfig config, AgentHandler handler, HttpClient httpClient) {
		this.client = client;
		this.config = config;
		this.handler = handler;
		this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(),
				() -> ThreadLocalRandom.current().nextDouble());
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

	private static URI connectUri(AgentClientConfig config) {
		if (config.token() == null || !config.tokenInQuery()) {
			return config.uri();
		}
		String separator = (config.uri().getRawQuery() != null) ? "&" : "?";
		return URI
			.create(config.uri() + separator + "token=" + URLEncoder.encode(config.token(), StandardCharsets.UTF_8));
	}

	Object lock() {
		return this.lock;
	}

	AgentState state() {
		return this.state;
	}

	String sessionId() {
		return this.sessionId;
	}

	/**
	 * Whether events are still accepted; call with the lock held or accept a stale
	 * answer.
	 */
	boolean accepting() {
		synchronized (this.lock) {
			return !this.stopping && this.state != AgentState.STOPPED;
		}
	}

	void signalDrain() {
		AgentSession session = this.current;
		if (session != null) {
			session.drain();
		}
	}

	void start() {
		synchronized (this.lock) {
			if (this.state != AgentState.NEW) {
				return;
			}
			setState(AgentState.CONNECTING);
		}
		connect();
	}

	Mono<Void> stop() {
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
				// the last events, then the marker that makes the session close with 1000
				LifecycleState lifecycle = this.client.lifecycle();
				if (lifecycle != LifecycleState.SHUTTING_DOWN && lifecycle != LifecycleState.OFF) {
					this.client.enqueueLifecycle(LifecycleState.SHUTTING_DOWN);
				}
				this.client.enqueueLifecycle(LifecycleState.OFF);
				this.client.queue().offer(new OutboundEntry.CloseMarker());
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

	private void forceClose() {
		AgentSession session = this.current;
		if (session != null) {
			session.dispose();
		}
		else {
			finishStop();
		}
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
		this.client.safely(() -> this.handler.onRegistered(sessionId, heartbeatInterval));
	}

	private void connect() {
		AgentSession session;
		synchronized (this.lock) {
			if (this.stopping) {
				return;
			}
			session = new AgentSession(this.client);
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
			if (this.stopping || decision == ReconnectDecision.STOP) {
				finishStop();
				return;
			}
			if (info.registered() && info.registeredFor().compareTo(this.config.backoffResetAfter()) >= 0) {
				this.backoff.reset();
			}
			delay = (decision == ReconnectDecision.BACK_OFF_MAX) ? this.backoff.nextAtMax() : this.backoff.next();
			Duration told = retryAfter(info);
			if (told != null && delay.compareTo(told) < 0) {
				// A saturated hub said when to come back (503 Retry-After): then, spread
				// over half as long again so refused agents do not return together.
				delay = told.plusMillis(
						java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, told.toMillis() / 2)));
			}
			attempt = this.backoff.attempt();
			setState(AgentState.RECONNECT_WAIT);
			this.reconnectTimer = Mono.delay(delay).subscribe((tick) -> connect());
		}
		logger.info("Agent disconnected from {} (close {} {}{}); reconnect attempt {} in {} ms", this.config.uri(),
				info.closeCode(), info.closeReason(), (info.error() != null) ? ", " + info.error() : "", attempt,
				delay.toMillis());
		Duration scheduled = delay;
		this.client.safely(() -> this.handler.onReconnectScheduled(attempt, scheduled));
	}

	/**
	 * The wait a hub asked for when it refused the handshake (503 Retry-After), or null.
	 */
	static Duration retryAfter(DisconnectInfo info) {
		if (info.error() instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException handshake
				&& handshake.response() != null && handshake.response().status().code() == 503) {
			String header = handshake.response().headers().get("Retry-After");
			try {
				return (header != null) ? Duration.ofSeconds(Math.min(60, Math.max(0, Long.parseLong(header.trim()))))
						: null;
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private void finishStop() {
		synchronized (this.lock) {
			this.stopping = true;
			this.client.queue().clear();
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
		this.client.safely(() -> this.handler.onStateChange(previous, next));
	}

}
