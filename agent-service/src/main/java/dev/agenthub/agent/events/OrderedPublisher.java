package dev.agenthub.agent.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * Publishes one agent's events in the order the agent sent them, one publish at a time,
 * through a bounded queue. Output is batched naturally: an idle publisher publishes a
 * {@code tab:output} chunk at once, and while a publish is in flight the chunks that
 * arrive for the same tab and stream are appended to the last queued one (up to a byte
 * bound). So a chatty process costs at most one engine publish per round trip, the queue
 * does not grow while the engine keeps up with the bytes, and no chunk waits for a timer.
 * Any other event closes the run, so order is kept.
 * <p>
 * While the engine is unavailable (it took no command: Redis down, restarting, failing
 * over) the event at the head waits and is tried again, with backoff, for up to
 * {@code outage}; what the agent sends meanwhile queues behind it (output merging as
 * above) within the queue's bound, so a short outage delays the agent's events instead of
 * losing them. Past {@code outage}, and for any other failure, an event that cannot be
 * published is reported ({@code onFailure}) and the next is tried.
 */
public final class OrderedPublisher {

	/** The first wait for an unavailable engine; doubled for each retry, up to 16×. */
	static final Duration RETRY_FIRST = Duration.ofMillis(100);

	private final Broker broker;

	private final String channel;

	private final int capacity;

	private final int maxBytes;

	private final Consumer<Throwable> onFailure;

	private final Duration outage;

	private final PendingBytes budget;

	/**
	 * Characters of this publisher's events held in {@link #budget} (guarded by this).
	 */
	private long held;

	/** When the engine was first found unavailable in this outage (nanoTime), or 0. */
	private long unavailableSince;

	/** Retries of the head in this outage. */
	private int retries;

	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	private final AtomicInteger wip = new AtomicInteger();

	private final Sinks.Empty<Void> done = Sinks.empty();

	private volatile boolean publishing;

	private volatile boolean disposed;

	private volatile Disposable current;

	/** The event being published now (guarded by this). */
	private Pending inFlight;

	private boolean closing;

	/**
	 * @param broker the engine
	 * @param channel the channel events go to unless {@link #offerTo} says otherwise
	 * @param capacity events waiting to be published at most
	 * @param maxBytes largest merged {@code tab:output} chunk, in characters
	 * @param outage how long events wait for an unavailable engine before they are
	 * reported as failed
	 * @param budget the node's characters of events waiting to be published, which this
	 * publisher's queue takes its share of
	 * @param onFailure told when an event could not be published
	 */
	public OrderedPublisher(Broker broker, String channel, int capacity, int maxBytes, Duration outage,
			PendingBytes budget, Consumer<Throwable> onFailure) {
		this.broker = broker;
		this.channel = channel;
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.outage = outage;
		this.budget = budget;
		this.onFailure = onFailure;
	}

	/**
	 * Queues an event (already validated) for this publisher's channel.
	 * @return {@code false} when the queue is full (its events, its share of the node's
	 * bytes, or the node's) and the event was not taken
	 */
	public boolean offer(String type, JsonNode data) {
		return offerTo(this.channel, type, data);
	}

	/**
	 * Queues an event (already validated) for a channel, in order with this publisher's
	 * other events (e.g. {@code task:output} on {@code task:{id}}).
	 * @return {@code false} when the queue is full and the event was not taken
	 */
	public boolean offerTo(String channel, String type, JsonNode data) {
		boolean output = Pending.plainOutput(type, data);
		boolean taken;
		synchronized (this) {
			taken = !this.closing && !this.disposed && ((output && appendToLast(channel, data))
					|| enqueue(output ? Pending.output(channel, type, data) : Pending.event(channel, type, data)));
		}
		if (taken) {
			drain();
		}
		return taken;
	}

	/** Publishes what is queued, then stops. */
	public void close() {
		synchronized (this) {
			this.closing = true;
		}
		drain();
	}

	/** Completes once the publisher has stopped (after {@link #close()} drained it). */
	public Mono<Void> closed() {
		return this.done.asMono();
	}

	/** Stops at once, dropping queued events. */
	public void dispose() {
		this.disposed = true;
		synchronized (this) {
			// the one in flight too: its publish is cancelled, so it never ends
			this.queue.forEach(this::release);
			this.queue.clear();
			if (this.inFlight != null) {
				release(this.inFlight);
				this.inFlight = null;
			}
		}
		Disposable publish = this.current;
		if (publish != null) {
			publish.dispose();
		}
		this.done.tryEmitEmpty();
	}

	/** Events waiting to be published (merged chunks count once). */
	public synchronized int queued() {
		return this.queue.size();
	}

	private boolean enqueue(Pending pending) {
		if (this.queue.size() >= this.capacity || !hold(pending.bytes)) {
			return false;
		}
		this.queue.addLast(pending);
		return true;
	}

	/**
	 * Takes {@code bytes} of this publisher's share and of the node's (under the lock).
	 */
	private boolean hold(long bytes) {
		if (this.held + bytes > this.budget.perPublisher() || !this.budget.take(bytes)) {
			return false;
		}
		this.held += bytes;
		return true;
	}

	/** Gives back what an event that ended (published, reported, dropped) held; once. */
	private synchronized void release(Pending event) {
		if (!event.released) {
			event.released = true;
			this.held -= event.bytes;
			this.budget.give(event.bytes);
		}
	}

	/** Appends plain output to the last queued chunk of the same tab and stream. */
	private boolean appendToLast(String channel, JsonNode data) {
		Pending last = this.queue.peekLast();
		if (last == null || !last.takes(channel, data, this.maxBytes)) {
			return false;
		}
		String text = data.get("data").asString();
		if (!hold(text.length())) {
			return false;
		}
		last.append(text);
		return true;
	}

	/**
	 * Publishes the queued events one after another. Whoever finds the publisher idle
	 * starts the next publish; a publish that completes at once (memory engine) loops
	 * here instead of recursing.
	 */
	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			while (!this.publishing && !this.disposed) {
				Pending next;
				synchronized (this) {
					next = this.queue.pollFirst();
					if (next == null) {
						if (this.closing) {
							this.done.tryEmitEmpty();
						}
						break;
					}
					this.publishing = true;
					this.inFlight = next;
				}
				try {
					this.current = this.broker.publish(next.channel, next.type, next.data())
						.subscribe(null, (ex) -> failed(next, ex), () -> published(next));
				}
				catch (RuntimeException ex) {
					// an engine that throws instead of signalling must not stall the
					// queue
					ended(next);
					this.publishing = false;
					this.onFailure.accept(ex);
				}
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void published(Pending event) {
		synchronized (this) {
			this.unavailableSince = 0;
			this.retries = 0;
		}
		ended(event);
		next();
	}

	/** An event left the publisher: published, or reported as not. */
	private void ended(Pending event) {
		synchronized (this) {
			if (this.inFlight == event) {
				this.inFlight = null;
			}
		}
		release(event);
	}

	private void next() {
		this.publishing = false;
		drain();
	}

	/**
	 * A publish failed: the event waits at the head for an unavailable engine (within the
	 * outage), else it is reported and the next one goes.
	 */
	private void failed(Pending event, Throwable ex) {
		Duration wait = null;
		synchronized (this) {
			if (ex instanceof EngineUnavailableException && !this.disposed) {
				long now = System.nanoTime();
				if (this.unavailableSince == 0) {
					this.unavailableSince = now;
				}
				if (now - this.unavailableSince < this.outage.toNanos()) {
					// back at the head, still holding its bytes
					this.inFlight = null;
					this.queue.addFirst(event);
					wait = RETRY_FIRST.multipliedBy(1L << Math.min(this.retries++, 4));
				}
			}
		}
		if (wait == null) {
			ended(event);
			this.onFailure.accept(ex);
			next();
			return;
		}
		this.current = Mono.delay(wait).subscribe((tick) -> next());
	}

}
