package dev.agenthub.broker.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.broker.LogFeed;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@link LogFeed} in one JVM: a queue between publishers and the one durable-log consumer
 * of the process, bounded in entries and in bytes of JSON; entries taken but not
 * acknowledged are handed out again to the next {@link #consume}. When the queue is full
 * the oldest entry is dropped and counted (the memory engine keeps nothing across a
 * restart anyway; the Redis engine is the durable one). A queued entry is its event's
 * JSON only, decoded when the consumer takes it: neither the event's tree (several times
 * the JSON for payloads of many small objects) nor the wire forms its recipients attached
 * to the publication wait in the queue while the consumer is behind.
 */
public class InMemoryLogFeed implements LogFeed {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryLogFeed.class);

	private static final Duration SWEEP = Duration.ofMillis(200);

	private final BlockingQueue<Queued> queue;

	private final long maxBytes;

	/** Characters of JSON queued now. */
	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong ids = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final Map<Long, LogEntry> inflight = new ConcurrentSkipListMap<>();

	private final Sinks.Many<Long> signal = Sinks.many().replay().latest();

	/** A feed of at most {@code capacity} entries (no byte bound beside it). */
	public InMemoryLogFeed(int capacity) {
		this(capacity, Long.MAX_VALUE);
	}

	/**
	 * @param capacity entries queued at most
	 * @param maxBytes characters of JSON queued at most (the newest entry is always
	 * queued)
	 */
	public InMemoryLogFeed(int capacity, long maxBytes) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.maxBytes = maxBytes;
	}

	void offer(Publication publication) {
		Queued entry = new Queued(this.ids.incrementAndGet(), publication.json());
		long queued = this.bytes.addAndGet(entry.json().length());
		while (!this.queue.offer(entry)) {
			queued = dropOldest();
		}
		while (queued > this.maxBytes && this.queue.size() > 1) {
			queued = dropOldest();
		}
		// A failed emission (another publisher is emitting right now) is covered by the
		// consumer's periodic sweep.
		this.signal.tryEmitNext(0L);
	}

	@Override
	public Flux<LogEntry> consume(String group, String consumer) {
		// Delivered but unacknowledged entries come first, as after a restart of the
		// consumer.
		Flux<LogEntry> unacknowledged = Flux.defer(() -> Flux.fromIterable(List.copyOf(this.inflight.values())));
		Flux<LogEntry> drain = Flux.defer(() -> {
			Queued queued = this.queue.poll();
			if (queued == null) {
				return Flux.empty();
			}
			this.bytes.addAndGet(-queued.json().length());
			LogEntry entry = new LogEntry(Long.toString(queued.id()),
					new Publication(HubJson.decodeEvent(queued.json()), queued.json()));
			this.inflight.put(queued.id(), entry);
			return Flux.just(entry);
		}).repeat(() -> !this.queue.isEmpty());
		Flux<Long> ticks = Flux.merge(this.signal.asFlux(), Flux.interval(SWEEP));
		return unacknowledged.concatWith(ticks.onBackpressureLatest().concatMap((tick) -> drain, 1));
	}

	@Override
	public Mono<Void> ack(String group, Iterable<LogEntry> entries) {
		return Mono.fromRunnable(() -> entries.forEach((entry) -> this.inflight.remove(Long.parseLong(entry.id()))));
	}

	/** Entries dropped because the consumer fell behind. */
	public long dropped() {
		return this.dropped.get();
	}

	/** Characters of JSON queued now. */
	public long queuedBytes() {
		return this.bytes.get();
	}

	/** Drops the oldest entry (when there is one still); the bytes queued after. */
	private long dropOldest() {
		Queued oldest = this.queue.poll();
		if (oldest == null) {
			return this.bytes.get();
		}
		if (this.dropped.incrementAndGet() % 1000 == 1) {
			logger.warn("Durable log consumer is behind; dropped {} events so far", this.dropped.get());
		}
		return this.bytes.addAndGet(-oldest.json().length());
	}

	/** An entry waiting for the consumer: its id and its event's JSON. */
	private record Queued(long id, String json) {
	}

}
