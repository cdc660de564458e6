package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubPrincipal;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One client connection of any ingress, over any {@link Transport}: who it is, what it
 * may still send, and the one way out to it. Live and replayed events share one
 * byte-bounded queue: a reader that falls behind is closed with 4010 and nothing else
 * waits for it. Thread-safe.
 */
public final class Connection {

	private static final Duration REPLAY_POLL = Duration.ofMillis(2);

	private final String id = UUID.randomUUID().toString();

	private final Transport transport;

	private final ConnectionLimits limits;

	private final RateLimiter rate;

	private final ConnectionEvents events;

	private final AtomicReference<CloseCode> closed = new AtomicReference<>();

	private volatile HubPrincipal principal;

	private volatile String clientId;

	private volatile long lastSeenNanos = System.nanoTime();

	private volatile boolean open;

	/** Ends the node's part of the open under way, or {@code null}. */
	private volatile @Nullable Runnable opening;

	Connection(Transport transport, ConnectionLimits limits, ConnectionEvents events) {
		this.transport = transport;
		this.limits = limits;
		this.events = events;
		this.rate = new RateLimiter(limits.ratePerSecond(), limits.rateBurst());
	}

	/** This connection's id, unique per connection. */
	public String id() {
		return this.id;
	}

	/** Who authenticated, or {@code null} before authentication. */
	public HubPrincipal principal() {
		return this.principal;
	}

	void principal(HubPrincipal principal) {
		this.principal = principal;
	}

	/**
	 * The client id the connection goes by, or {@code null} where the ingress has none.
	 */
	public String clientId() {
		return this.clientId;
	}

	/** Sets the client id (the ingress decides which one a connection may have). */
	public void clientId(String clientId) {
		this.clientId = clientId;
	}

	public Transport transport() {
		return this.transport;
	}

	public ConnectionLimits limits() {
		return this.limits;
	}

	/** Queues a message (reply, notice, error); closes a slow reader. */
	public void send(ServerMessage message) {
		if (!isClosed() && !this.transport.send(message)) {
			slowReader();
		}
		this.events.messageOut();
	}

	/**
	 * Queues a live event (encoded once per publish); closes a slow reader.
	 * @return whether the transport took it ({@code false}: the connection is closed, the
	 * event was not sent)
	 */
	public boolean deliver(EncodedEvent event) {
		boolean open = !isClosed();
		if (open && !this.transport.deliver(event)) {
			slowReader();
		}
		this.events.messageOut();
		return open;
	}

	/**
	 * Sends events a recovery replays, in order, as fast as the client reads: each waits
	 * until the queue has room for it, so replayed frames count against the same bound as
	 * live ones. A reader that takes nothing for {@link ConnectionLimits#replayStall()}
	 * is closed with 4010.
	 * @return completes when every event is queued (or the connection closed)
	 */
	public Mono<Void> replay(Iterable<Publication> replayed) {
		// Replayed frames go while the queue is at most half full, leaving the other half
		// to live frames and to encodings larger than the estimate.
		long high = this.limits.maxOutboundBytes() / 2;
		long low = this.limits.maxOutboundBytes() / 4;
		return Flux.fromIterable(replayed).map(EncodedEvent::new).concatMap((event) -> {
			if (isClosed()) {
				return Mono.empty();
			}
			if (this.transport.queuedBytes() + event.size() <= high) {
				deliver(event);
				return Mono.empty();
			}
			// what follows waits for the client, not for this node
			openingDone();
			return awaitRoom(low).doOnSuccess((room) -> deliver(event)).onErrorResume((ex) -> {
				slowReader();
				return Mono.empty();
			}).then();
		}, 1).then();
	}

	/**
	 * Waits until the queue holds at most {@code low} bytes; errors when the client took
	 * nothing from it for {@link ConnectionLimits#replayStall()} (a reader that reads,
	 * however slowly, is waited for).
	 */
	private Mono<Long> awaitRoom(long low) {
		long stall = this.limits.replayStall().toNanos();
		long[] progress = { this.transport.queuedBytes(), System.nanoTime() };
		return Flux.interval(REPLAY_POLL).handle((tick, sink) -> {
			this.transport.flush();
			long queued = this.transport.queuedBytes();
			long now = System.nanoTime();
			if (isClosed() || queued <= low) {
				sink.next(queued);
			}
			else if (queued < progress[0]) {
				progress[1] = now;
			}
			else if (now - progress[1] > stall) {
				sink.error(new IllegalStateException("the client took nothing for " + this.limits.replayStall()));
			}
			progress[0] = queued;
		}).cast(Long.class).next();
	}

	/**
	 * Sets (or clears) what ends the node's part of the open under way
	 * ({@link ConnectionServer#opening}).
	 */
	void whileOpening(@Nullable Runnable release) {
		this.opening = release;
	}

	private void openingDone() {
		Runnable release = this.opening;
		if (release != null) {
			this.opening = null;
			release.run();
		}
	}

	/** Sends the periodic keepalive (transport ping, dialect heartbeat). */
	void heartbeat() {
		if (!isClosed() && !this.transport.heartbeat()) {
			slowReader();
		}
	}

	private void slowReader() {
		if (!isClosed()) {
			this.events.slowReader();
			close(CloseCode.SLOW_READER, "outbound queue over its bound");
		}
	}

	/** Closes with a catalogued code, once; queued frames go out first (briefly). */
	public void close(CloseCode code, String reason) {
		if (this.closed.compareAndSet(null, code)) {
			this.events.closedWith(code);
			this.transport.close(code, reason);
		}
	}

	/** Marks the connection closed by the peer or the transport. */
	void markClosed() {
		this.closed.compareAndSet(null, CloseCode.NORMAL);
	}

	/** Whether the connection's session is open (authenticated and set up). */
	public boolean isOpen() {
		return this.open && !isClosed();
	}

	void opened() {
		this.open = true;
	}

	public boolean isClosed() {
		return this.closed.get() != null;
	}

	/** Takes an inbound token (CLOSE mode); {@code false} when over the rate. */
	boolean tryAcquireInbound() {
		return this.rate.tryAcquire();
	}

	/** Takes inbound budget (THROTTLE mode: bytes); nanoseconds to wait first. */
	long acquireOrDelay(long bytes) {
		return this.rate.acquireOrDelay(bytes);
	}

	/** Notes that the client was heard from. */
	void touch() {
		this.lastSeenNanos = System.nanoTime();
	}

	long lastSeenNanos() {
		return this.lastSeenNanos;
	}

}
