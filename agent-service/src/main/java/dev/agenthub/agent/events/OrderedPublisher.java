package dev.agenthub.agent.events;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes one agent's events in the order the agent sent them, one publish at a time,
 * through a bounded queue. Output is batched naturally: an idle publisher publishes a
 * {@code tab:output} chunk at once, and while a publish is in flight the chunks that
 * arrive for the same tab and stream are appended to the last queued one (up to a byte
 * bound). So a chatty process costs at most one engine publish per round trip, the queue
 * does not grow while the engine keeps up with the bytes, and no chunk waits for a timer.
 * Any other event closes the run, so order is kept.
 */
public final class OrderedPublisher {

	private static final Set<String> PLAIN_OUTPUT_FIELDS = Set.of("tabId", "data", "stream");

	private final Broker broker;

	private final String channel;

	private final int capacity;

	private final int maxBytes;

	private final Consumer<Throwable> onFailure;

	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	private final AtomicInteger wip = new AtomicInteger();

	private final Sinks.Empty<Void> done = Sinks.empty();

	private volatile boolean publishing;

	private volatile boolean disposed;

	private volatile Disposable current;

	private boolean closing;

	/**
	 * @param broker the engine
	 * @param channel the channel events go to unless {@link #offerTo} says otherwise
	 * @param capacity events waiting to be published at most
	 * @param maxBytes largest merged {@code tab:output} chunk, in characters
	 * @param onFailure told when a publish failed (e.g. Redis is down)
	 */
	public OrderedPublisher(Broker broker, String channel, int capacity, int maxBytes, Consumer<Throwable> onFailure) {
		this.broker = broker;
		this.channel = channel;
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.onFailure = onFailure;
	}

	/**
	 * Queues an event (already validated) for this publisher's channel.
	 * @return {@code false} when the queue is full and the event was not taken
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
		boolean output = EventType.TAB_OUTPUT.wireName().equals(type) && plainOutput(data);
		boolean taken;
		synchronized (this) {
			taken = !this.closing && ((output && appendToLast(channel, data))
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
			this.queue.clear();
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
		if (this.queue.size() >= this.capacity) {
			return false;
		}
		this.queue.addLast(pending);
		return true;
	}

	/** Appends plain output to the last queued chunk of the same tab and stream. */
	private boolean appendToLast(String channel, JsonNode data) {
		Pending last = this.queue.peekLast();
		if (last == null || last.output == null || !last.channel.equals(channel)) {
			return false;
		}
		String text = data.get("data").asString();
		if (!last.tabId.equals(data.get("tabId").asString()) || !Objects.equals(last.stream, stream(data))
				|| last.output.length() + text.length() > this.maxBytes) {
			return false;
		}
		last.output.append(text);
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
				}
				try {
					this.current = this.broker.publish(next.channel, next.type, next.data()).subscribe(null, (ex) -> {
						this.onFailure.accept(ex);
						published();
					}, this::published);
				}
				catch (RuntimeException ex) {
					// an engine that throws instead of signalling must not stall the
					// queue
					this.publishing = false;
					this.onFailure.accept(ex);
				}
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void published() {
		this.publishing = false;
		drain();
	}

	private static boolean plainOutput(JsonNode data) {
		for (String field : data.propertyNames()) {
			if (!PLAIN_OUTPUT_FIELDS.contains(field)) {
				return false;
			}
		}
		return data.get("data").isString() && data.get("tabId").isString()
				&& (!data.has("stream") || data.get("stream").isString());
	}

	private static String stream(JsonNode data) {
		return data.has("stream") ? data.get("stream").asString() : null;
	}

	/**
	 * An event waiting to be published; plain {@code tab:output} keeps its text open for
	 * more chunks until it is taken.
	 */
	private static final class Pending {

		private final String channel;

		private final String type;

		private final JsonNode data;

		private final String tabId;

		private final String stream;

		private final StringBuilder output;

		private Pending(String channel, String type, JsonNode data, String tabId, String stream, StringBuilder output) {
			this.channel = channel;
			this.type = type;
			this.data = data;
			this.tabId = tabId;
			this.stream = stream;
			this.output = output;
		}

		/** Plain {@code tab:output}, open for more chunks of its tab and stream. */
		static Pending output(String channel, String type, JsonNode data) {
			return new Pending(channel, type, null, data.get("tabId").asString(), stream(data),
					new StringBuilder(data.get("data").asString()));
		}

		/** Any other event, published as it is. */
		static Pending event(String channel, String type, JsonNode data) {
			return new Pending(channel, type, data, null, null, null);
		}

		JsonNode data() {
			if (this.output == null) {
				return this.data;
			}
			ObjectNode merged = HubJson.object();
			merged.put("tabId", this.tabId);
			merged.put("data", this.output.toString());
			if (this.stream != null) {
				merged.put("stream", this.stream);
			}
			return merged;
		}

	}

}
