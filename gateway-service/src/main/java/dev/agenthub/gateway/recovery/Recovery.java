package dev.agenthub.gateway.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.agenthub.broker.Bounded;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Works out what a re-subscribing client missed after {@code {epoch, offset}}: from the
 * engine's history window, and from the durable log before it. Never partial: either
 * every event after the offset up to the channel's position, or {@code recovered=false}
 * with nothing.
 */
@Component
public class Recovery {

	private static final Logger logger = LoggerFactory.getLogger(Recovery.class);

	private static final int LOG_CATCH_UP_TRIES = 15;

	private static final Duration LOG_CATCH_UP_DELAY = Duration.ofMillis(200);

	/**
	 * Engine history reads in flight at once on this node; the others wait their turn in
	 * memory, not in the engine's command queue (where a reconnect storm's thousands
	 * timed out).
	 */
	static final int MAX_READING = 64;

	/**
	 * Log reads in flight at once on this node; the others wait their turn in memory. One
	 * read buffers up to {@code hub.gateway.recovery-max-bytes} (16 MB) of events, so
	 * without a bound many connections asking from far back at once would exhaust the
	 * heap.
	 */
	static final int MAX_LOG_READING = 8;

	private final Broker broker;

	private final LogHistoryClient log;

	private final int maxEvents;

	private final GatewayMetrics metrics;

	private final Bounded reading = new Bounded(MAX_READING);

	private final Bounded logReading = new Bounded(MAX_LOG_READING);

	/**
	 * Most bytes of log events the node holds for replays not yet sent: as much as
	 * {@link #MAX_LOG_READING} reads can buffer. A replay goes as fast as its client
	 * reads, so clients asking from far back and not reading would otherwise pin up to
	 * {@code recovery-max-bytes} each until the heap is gone; past it a recovery from the
	 * log answers {@code recovered=false} (the client refetches its state).
	 */
	private final long maxHeldBytes;

	private final AtomicLong heldBytes = new AtomicLong();

	public Recovery(Broker broker, LogHistoryClient log, GatewayProperties properties, GatewayMetrics metrics) {
		this.broker = broker;
		this.metrics = metrics;
		this.log = log;
		this.maxEvents = properties.recoveryMaxEvents();
		this.maxHeldBytes = MAX_LOG_READING * properties.recoveryMaxBytes().toBytes();
	}

	/** The channel's current position, for a subscription without recovery. */
	public Mono<Outcome> position(String channel) {
		return this.broker.position(channel).map((position) -> new Outcome(null, position, List.of()));
	}

	/**
	 * The events after {@code since} in {@code epoch}, for a look only (nothing replays
	 * them).
	 * @return the outcome; {@link Outcome#recovered()} says whether the events are
	 * complete
	 */
	public Mono<Outcome> recover(String channel, String epoch, long since) {
		return recover(channel, epoch, since, Mono::just);
	}

	/**
	 * The events after {@code since} in {@code epoch}, handed to {@code replay}: events
	 * read from the log count against the node's budget of them until what it returns
	 * ends (or is cancelled).
	 * @param replay what sends the outcome; {@link Outcome#recovered()} says whether the
	 * events are complete
	 */
	public <T> Mono<T> recover(String channel, String epoch, long since, Function<Outcome, Mono<T>> replay) {
		return Mono.usingWhen(held(channel, epoch, since), (held) -> replay.apply(held.outcome()),
				(held) -> Mono.fromRunnable(() -> this.heldBytes.addAndGet(-held.bytes())));
	}

	private Mono<Held> held(String channel, String epoch, long since) {
		return this.reading.run(this.broker.history(channel, since, this.maxEvents)).flatMap((history) -> {
			StreamPosition position = history.position();
			if (!position.epoch().equals(epoch) || since > position.offset()
					|| position.offset() - since > this.maxEvents) {
				logger.debug("{} not recoverable from {}:{}: the channel is at {}:{}", channel, epoch, since,
						position.epoch(), position.offset());
				return Mono.just(new Held(notRecovered(position), 0));
			}
			if (history.coversFrom(since)) {
				return Mono.just(new Held(new Outcome(true, position, history.events()), 0));
			}
			return fromLog(channel, epoch, since, history);
		}).doOnNext((held) -> this.metrics.recovery(Boolean.TRUE.equals(held.outcome().recovered())));
	}

	private Mono<Held> fromLog(String channel, String epoch, long since, History history) {
		long until = history.events().isEmpty() ? history.position().offset() : history.events().get(0).offset() - 1;
		// The log writer may still be behind the engine for the newest events: a log that
		// holds an unbroken run from `since` but ends early is read again, for a while.
		return this.logReading.run(this.log.range(channel, epoch, since, until))
			.filter((logged) -> contiguous(logged, since, until) || !prefix(logged, since))
			.repeatWhenEmpty(LOG_CATCH_UP_TRIES, (tries) -> tries.delayElements(LOG_CATCH_UP_DELAY))
			.map((logged) -> {
				if (!contiguous(logged, since, until)) {
					return new Held(notRecovered(history.position()), 0);
				}
				long bytes = 0;
				for (Publication publication : logged) {
					bytes += publication.json().length();
				}
				if (this.heldBytes.addAndGet(bytes) > this.maxHeldBytes) {
					this.heldBytes.addAndGet(-bytes);
					logger.debug("{} not recovered: the node holds its most log events awaiting replay", channel);
					return new Held(notRecovered(history.position()), 0);
				}
				List<Publication> events = new ArrayList<>(logged.size() + history.events().size());
				events.addAll(logged);
				events.addAll(history.events());
				return new Held(new Outcome(true, history.position(), events), bytes);
			})
			.switchIfEmpty(Mono.fromSupplier(() -> {
				logger.debug("{} not recoverable from {}:{}: neither its history nor the log holds every event "
						+ "up to {}", channel, epoch, since, until);
				return new Held(notRecovered(history.position()), 0);
			}))
			.onErrorResume((ex) -> {
				if (ex instanceof LogHistoryClient.TooLarge) {
					// a client asking from far back: it refetches state instead
					logger.debug("{} not recovered: {}", channel, ex.getMessage());
				}
				else {
					logger.warn("Recovery of {} from the log failed: {}", channel, ex.toString());
				}
				return Mono.just(new Held(notRecovered(history.position()), 0));
			});
	}

	/** Log bytes the node holds for replays not yet sent. */
	long heldBytes() {
		return this.heldBytes.get();
	}

	/** Whether the events are an unbroken run starting right after {@code since}. */
	private static boolean prefix(List<Publication> events, long since) {
		long expected = since + 1;
		for (Publication publication : events) {
			if (publication.offset() != expected++) {
				return false;
			}
		}
		return true;
	}

	private static boolean contiguous(List<Publication> events, long since, long until) {
		long expected = since + 1;
		for (Publication publication : events) {
			if (publication.offset() != expected) {
				return false;
			}
			expected++;
		}
		return expected == until + 1;
	}

	private static Outcome notRecovered(StreamPosition position) {
		return new Outcome(false, position, List.of());
	}

	/** An outcome and the bytes of log events it holds against the node's budget. */
	private record Held(Outcome outcome, long bytes) {

	}

	/**
	 * What a subscription starts with.
	 *
	 * @param recovered {@code true}/{@code false} when recovery was asked, else
	 * {@code null}
	 * @param position the channel's position the events lead up to
	 * @param events the missed events, in order (empty unless recovered)
	 */
	public record Outcome(Boolean recovered, StreamPosition position, List<Publication> events) {

		/** The offset the subscription stands at after the events. */
		public long offset() {
			return this.events.isEmpty() ? this.position.offset()
					: Math.max(this.position.offset(), this.events.get(this.events.size() - 1).offset());
		}

	}

}
