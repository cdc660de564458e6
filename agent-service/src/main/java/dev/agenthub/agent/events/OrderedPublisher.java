package dev.agenthub.agent.events;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes one agent's events on its workspace channel in the order the agent sent them,
 * one publish at a time, through a bounded queue. Consecutive {@code tab:output} chunks
 * of one tab and stream are merged for a few milliseconds (up to a byte bound), so a
 * chatty process is not one engine publish per line; any other event flushes the merged
 * chunk first, so order is kept.
 */
public final class OrderedPublisher {

	private final Sinks.Many<Pending> queue;

	private final Disposable worker;

	private final Sinks.Empty<Void> done = Sinks.empty();

	private final Duration window;

	private final String channel;

	private final int maxBytes;

	private String tabId;

	private String stream;

	private StringBuilder chunk;

	private Disposable flushTimer;

	/**
	 * @param broker the engine
	 * @param channel the channel all events go to
	 * @param capacity events waiting to be published at most
	 * @param window how long a chunk waits for more
	 * @param maxBytes chunk size published at once
	 * @param onFailure told when a publish failed (e.g. Redis is down)
	 */
	public OrderedPublisher(Broker broker, String channel, int capacity, Duration window, int maxBytes,
			Consumer<Throwable> onFailure) {
		this.queue = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
		this.window = window;
		this.channel = channel;
		this.maxBytes = maxBytes;
		this.worker = this.queue.asFlux()
			.concatMap((pending) -> broker.publish(pending.channel, pending.type, pending.data)
				.then()
				.onErrorResume((ex) -> {
					onFailure.accept(ex);
					return Mono.empty();
				}), 1)
			.doFinally((signal) -> this.done.tryEmitEmpty())
			.subscribe();
	}

	/**
	 * Queues an event (already validated).
	 * @return {@code false} when the queue is full and the event was not taken
	 */
	public synchronized boolean offer(String type, JsonNode data) {
		if (EventType.TAB_OUTPUT.wireName().equals(type)) {
			return offerOutput(data);
		}
		return flush() && emit(type, data);
	}

	/**
	 * Queues an event (already validated) for another channel, in order with this
	 * publisher's other events (e.g. {@code task:output} on {@code task:{id}}).
	 * @return {@code false} when the queue is full and the event was not taken
	 */
	public synchronized boolean offerTo(String channel, String type, JsonNode data) {
		return flush() && this.queue.tryEmitNext(new Pending(channel, type, data)).isSuccess();
	}

	private boolean offerOutput(JsonNode data) {
		String tab = data.get("tabId").asString();
		String streamName = data.path("stream").isString() ? data.get("stream").asString() : null;
		String text = data.get("data").asString();
		boolean sameRun = this.chunk != null && tab.equals(this.tabId)
				&& java.util.Objects.equals(streamName, this.stream) && data.size() <= 3;
		if (!sameRun) {
			if (!flush()) {
				return false;
			}
			if (data.size() > 3) {
				// Extra fields the agent sent are kept: such chunks are published as they
				// are.
				return emit(EventType.TAB_OUTPUT.wireName(), data);
			}
			this.tabId = tab;
			this.stream = streamName;
			this.chunk = new StringBuilder(text);
			this.flushTimer = Mono.delay(this.window, Schedulers.parallel()).subscribe((tick) -> timedFlush());
		}
		else {
			this.chunk.append(text);
		}
		return this.chunk.length() < this.maxBytes || flush();
	}

	private synchronized void timedFlush() {
		flush();
	}

	/** Publishes the merged chunk, if any; {@code false} when the queue was full. */
	public synchronized boolean flush() {
		if (this.chunk == null) {
			return true;
		}
		ObjectNode data = HubJson.object();
		data.put("tabId", this.tabId);
		data.put("data", this.chunk.toString());
		if (this.stream != null) {
			data.put("stream", this.stream);
		}
		this.chunk = null;
		if (this.flushTimer != null) {
			this.flushTimer.dispose();
			this.flushTimer = null;
		}
		return emit(EventType.TAB_OUTPUT.wireName(), data);
	}

	private boolean emit(String type, JsonNode data) {
		return this.queue.tryEmitNext(new Pending(this.channel, type, data)).isSuccess();
	}

	/** Publishes what is merged, then stops after the queued events are published. */
	public synchronized void close() {
		flush();
		this.queue.tryEmitComplete();
	}

	/** Completes once the publisher has stopped (after {@link #close()} drained it). */
	public Mono<Void> closed() {
		return this.done.asMono();
	}

	/** Stops at once, dropping queued events. */
	public void dispose() {
		this.worker.dispose();
	}

	private record Pending(String channel, String type, JsonNode data) {

	}

}
