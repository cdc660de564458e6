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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@link LogFeed} in one JVM: a bounded queue between publishers and the one durable-log
 * consumer of the process; entries taken but not acknowledged are handed out again to the
 * next {@link #consume}. When the queue is full the oldest entry is dropped and counted
 * (the memory engine keeps nothing across a restart anyway; the Redis engine is the
 * durable one).
 */
public class InMemoryLogFeed implements LogFeed {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryLogFeed.class);

	private static final Duration SWEEP = Duration.ofMillis(200);

	private final BlockingQueue<LogEntry> queue;

	private final AtomicLong ids = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final Map<Long, LogEntry> inflight = new ConcurrentSkipListMap<>();

	private final Sinks.Many<Long> signal = Sinks.many().replay().latest();

	public InMemoryLogFeed(int capacity) {
		this.queue = new ArrayBlockingQueue<>(capacity);
	}

	void offer(Publication publication) {
		LogEntry entry = new LogEntry(Long.toString(this.ids.incrementAndGet()), publication);
		while (!this.queue.offer(entry)) {
			if (this.queue.poll() != null && this.dropped.incrementAndGet() % 1000 == 1) {
				logger.warn("Durable log consumer is behind; dropped {} events so far", this.dropped.get());
			}
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
			LogEntry entry = this.queue.poll();
			if (entry == null) {
				return Flux.empty();
			}
			this.inflight.put(Long.parseLong(entry.id()), entry);
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

}
