package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.subscription.SubscriptionState;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One browser connection: who it is, what it subscribes to, its bounded outbound queue
 * and inbound rate limit. Event frames from any thread go through
 * {@link #sendFrame(byte[])}; a reader too slow for the bound is closed with 4010.
 */
public final class GatewaySession {

	private static final byte[] PING_PAYLOAD = new byte[0];

	private final String id = UUID.randomUUID().toString();

	private final WebSocketSession socket;

	private final Outbound outbound;

	private final RateLimiter rateLimiter;

	private final Map<String, SubscriptionState> subscriptions = new ConcurrentHashMap<>();

	private static final int FLUSH_SECONDS = 2;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Sinks.Empty<Void> outputDone = Sinks.empty();

	private final SessionListener listener;

	private volatile HubPrincipal principal;

	private volatile String clientId;

	private volatile long lastSeenNanos = System.nanoTime();

	GatewaySession(WebSocketSession socket, int maxOutboundBytes, int ratePerSecond, int rateBurst,
			SessionListener listener) {
		this.socket = socket;
		this.outbound = new Outbound(maxOutboundBytes);
		this.rateLimiter = new RateLimiter(ratePerSecond, rateBurst);
		this.listener = listener;
	}

	/** This connection's id (unique per connection). */
	public String id() {
		return this.id;
	}

	/** The client id: the {@code x-client-id} header or a generated one. */
	public String clientId() {
		return this.clientId;
	}

	void clientId(String clientId) {
		this.clientId = clientId;
	}

	/** Who authenticated on this connection, or {@code null} before authentication. */
	public HubPrincipal principal() {
		return this.principal;
	}

	void authenticated(HubPrincipal principal) {
		this.principal = principal;
	}

	/** The channels this connection is on, implicit ones included. */
	public Map<String, SubscriptionState> subscriptions() {
		return this.subscriptions;
	}

	WebSocketSession socket() {
		return this.socket;
	}

	Outbound outbound() {
		return this.outbound;
	}

	boolean tryAcquireInbound() {
		return this.rateLimiter.tryAcquire();
	}

	void touch() {
		this.lastSeenNanos = System.nanoTime();
	}

	long lastSeenNanos() {
		return this.lastSeenNanos;
	}

	/** Queues a control message (reply, error). */
	public void send(ServerMessage message) {
		sendFrame(message.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Queues an encoded frame, shared with other recipients; closes a slow reader. */
	public void sendFrame(byte[] utf8) {
		if (this.closed.get()) {
			return;
		}
		if (!this.outbound.offer(utf8, false)) {
			this.listener.slowReader(this);
			close(CloseCode.SLOW_READER, "outbound queue over " + this.outbound.queuedBytes() + " bytes");
		}
	}

	void ping() {
		if (!this.closed.get() && !this.outbound.offer(PING_PAYLOAD, true)) {
			close(CloseCode.SLOW_READER, "outbound queue full");
		}
	}

	/** Whether the connection was closed. */
	public boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Closes the connection with a catalogued code (once; later calls do nothing). Frames
	 * already queued (e.g. the error saying why) go out first, for at most
	 * {@value #FLUSH_SECONDS} s; a slow reader's queue is dropped.
	 */
	public void close(CloseCode code, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			this.outbound.complete();
			Mono<Void> flushed = (code == CloseCode.SLOW_READER) ? Mono.empty()
					: this.outputDone.asMono()
						.timeout(Duration.ofSeconds(FLUSH_SECONDS))
						.onErrorResume((ex) -> Mono.empty());
			flushed.then(this.socket.close(new CloseStatus(code.code(), truncate(reason)))).subscribe(null, (ex) -> {
				// The peer may already be gone; nothing more to do.
			});
		}
	}

	void markClosed() {
		this.closed.set(true);
		this.outbound.complete();
	}

	void outputDone() {
		this.outputDone.tryEmitEmpty();
	}

	private static String truncate(String reason) {
		// A close frame's reason must fit in 123 bytes.
		return (reason.length() > 100) ? reason.substring(0, 100) : reason;
	}

	/** Hooks the session reports to (metrics). */
	public interface SessionListener {

		/** A slow reader is about to be closed. */
		default void slowReader(GatewaySession session) {
		}

	}

}
