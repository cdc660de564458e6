package dev.agenthub.broker.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Epochs;
import dev.agenthub.broker.EventJson;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@link Broker} in one JVM: per channel an epoch, an offset counter, a ring of recent
 * events bounded in count and bytes, and a list of listeners, all changed under the
 * channel's lock so that offsets are gapless and listeners see publish order. Every
 * publication is also offered to the {@link InMemoryLogFeed}.
 * <p>
 * A channel without listeners that nobody touched for its idle time (a day; ephemeral
 * channels such as {@code client:} ones, minutes) is forgotten, like Redis keys that
 * expire: its next use starts a new epoch. Ephemeral channels get no state until a
 * publish.
 */
public class InMemoryBroker implements Broker {

	private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();

	private final Limits limits;

	private final InMemoryLogFeed logFeed;

	private final Clock clock;

	private volatile long nextSweep;

	/**
	 * Bounds of the memory engine.
	 *
	 * @param historySize events kept per channel
	 * @param historyBytes bytes of events kept per channel (the newest is always kept)
	 * @param idleTtl how long a channel without listeners is kept after its last use
	 * @param ephemeralPrefixes channels without state until a publish
	 * @param ephemeralTtl idle time of an ephemeral channel
	 */
	public record Limits(int historySize, long historyBytes, Duration idleTtl, List<String> ephemeralPrefixes,
			Duration ephemeralTtl) {

		/**
		 * Defaults around a history size: 4 MiB, a day, {@code client:} for 10 minutes.
		 */
		public static Limits of(int historySize) {
			return new Limits(historySize, 4L << 20, Duration.ofDays(1), List.of("client:"), Duration.ofMinutes(10));
		}

		boolean ephemeral(String channel) {
			return this.ephemeralPrefixes.stream().anyMatch(channel::startsWith);
		}

	}

	/**
	 * @param historySize events kept per channel
	 * @param logFeed where every publication goes for the durable log
	 */
	public InMemoryBroker(int historySize, InMemoryLogFeed logFeed) {
		this(Limits.of(historySize), logFeed, Clock.systemUTC());
	}

	/**
	 * @param limits the bounds
	 * @param logFeed where every publication goes for the durable log
	 * @param clock the clock idle times are measured by
	 */
	public InMemoryBroker(Limits limits, InMemoryLogFeed logFeed, Clock clock) {
		this.limits = limits;
		this.logFeed = logFeed;
		this.clock = clock;
	}

	@Override
	public Mono<Publication> publish(String channel, String type, JsonNode data) {
		return Mono.fromSupplier(() -> withState(channel, (state) -> state.publish(channel, type, data)));
	}

	@Override
	public Mono<StreamPosition> position(String channel) {
		return Mono.fromSupplier(() -> {
			ChannelState state = this.channels.get(channel);
			if (this.limits.ephemeral(channel) && (state == null || state.retired)) {
				return virtualPosition();
			}
			return withState(channel, ChannelState::position);
		});
	}

	@Override
	public Mono<History> history(String channel, long since, int limit) {
		return Mono.fromSupplier(() -> {
			ChannelState state = this.channels.get(channel);
			if (this.limits.ephemeral(channel) && (state == null || state.retired)) {
				return new History(virtualPosition(), List.of());
			}
			return withState(channel, (existing) -> existing.read(since, limit)).decode();
		});
	}

	@Override
	public Mono<History> existingHistory(String channel, long since, int limit) {
		return Mono.fromSupplier(() -> {
			ChannelState state = this.channels.get(channel);
			if (state == null) {
				return null;
			}
			Read read;
			synchronized (state) {
				read = (state.retired || state.epoch == null) ? null : state.read(since, limit);
			}
			return (read != null) ? read.decode() : null;
		});
	}

	@Override
	public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return Mono.fromSupplier(() -> withState(channel, (state) -> {
			state.listeners.add(listener);
			return () -> state.listeners.remove(listener);
		}));
	}

	/**
	 * Forgets a channel's state as if it was lost: the next publish starts a new epoch.
	 * Listeners stay registered.
	 */
	public void loseHistory(String channel) {
		ChannelState old = this.channels.get(channel);
		if (old != null) {
			synchronized (old) {
				old.reset();
			}
		}
	}

	/** Number of channels with at least one listener (for tests and metrics). */
	public int activeChannels() {
		int count = 0;
		for (ChannelState state : this.channels.values()) {
			if (!state.listeners.isEmpty()) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Whether the engine holds an epoch for a channel (a listener alone is no state; for
	 * tests).
	 */
	public boolean holdsEpoch(String channel) {
		ChannelState state = this.channels.get(channel);
		if (state == null) {
			return false;
		}
		synchronized (state) {
			return !state.retired && state.epoch != null;
		}
	}

	/** Number of channels this engine holds state for (for tests and metrics). */
	public int knownChannels() {
		return this.channels.size();
	}

	// Same rule as the Redis engine: the virtual epoch changes every ephemeral TTL, so a
	// state that lived and expired in between is never taken for "nothing new".
	private StreamPosition virtualPosition() {
		return new StreamPosition("v" + this.clock.millis() / this.limits.ephemeralTtl().toMillis(), 0);
	}

	private <T> T withState(String channel, Function<ChannelState, T> operation) {
		sweepIfDue();
		while (true) {
			ChannelState state = this.channels.computeIfAbsent(channel,
					(name) -> new ChannelState(ttl(name), this.limits.ephemeral(name)));
			synchronized (state) {
				if (!state.retired) {
					state.lastUse = this.clock.millis();
					return operation.apply(state);
				}
			}
			// Retired by a sweep between the lookup and the lock: look it up again.
		}
	}

	private long ttl(String channel) {
		return (this.limits.ephemeral(channel) ? this.limits.ephemeralTtl() : this.limits.idleTtl()).toMillis();
	}

	/** Forgets idle channels without listeners, at most a few times per ephemeral TTL. */
	private void sweepIfDue() {
		long now = this.clock.millis();
		if (now < this.nextSweep) {
			return;
		}
		this.nextSweep = now + Math.max(1000, this.limits.ephemeralTtl().toMillis() / 4);
		for (ChannelState state : this.channels.values()) {
			synchronized (state) {
				if (state.listeners.isEmpty() && now - state.lastUse >= state.ttl) {
					state.retired = true;
					this.channels.values().remove(state);
				}
			}
		}
	}

	/** An event of a channel's history: its offset and its JSON. */
	private record Recorded(long offset, String json) {
	}

	/**
	 * A history read as taken under the channel's lock; decoded after it is released, so
	 * that publishes to the channel do not wait for a reader's decoding.
	 */
	private record Read(StreamPosition position, List<String> events) {

		History decode() {
			List<Publication> publications = new ArrayList<>(this.events.size());
			for (String json : this.events) {
				publications.add(new Publication(HubJson.decodeEvent(json), json));
			}
			return new History(this.position, publications);
		}

	}

	private final class ChannelState {

		private final List<Consumer<Publication>> listeners = new CopyOnWriteArrayList<>();

		/**
		 * The history: each event's offset and JSON only — the JSON is what the byte
		 * bound counts, where a decoded tree of many small objects takes several times as
		 * much heap; a read decodes what it hands out, as the Redis engines do.
		 */
		private final ArrayDeque<Recorded> recent = new ArrayDeque<>();

		private final long ttl;

		private long bytes;

		private long lastUse;

		private volatile boolean retired;

		// null for an ephemeral channel until its first publish.
		private String epoch;

		private long offset;

		ChannelState(long ttl, boolean ephemeral) {
			this.ttl = ttl;
			this.epoch = ephemeral ? null : Epochs.next();
		}

		// Called under the state's lock.
		Publication publish(String channel, String type, JsonNode data) {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			if (this.epoch == null) {
				this.epoch = Epochs.next();
			}
			long next = ++this.offset;
			String json = EventJson.of(channel, type, data, now).assemble(next, this.epoch);
			Publication publication = new Publication(new HubEvent(type, channel, next, this.epoch, data, now), json);
			// The history keeps the JSON its byte bound counts: neither the event's tree
			// nor the wire forms recipients attach to the publication.
			this.recent.addLast(new Recorded(next, json));
			this.bytes += json.length();
			while (this.recent.size() > 1 && (this.recent.size() > InMemoryBroker.this.limits.historySize()
					|| this.bytes > InMemoryBroker.this.limits.historyBytes())) {
				this.bytes -= this.recent.removeFirst().json().length();
			}
			InMemoryBroker.this.logFeed.offer(publication);
			for (Consumer<Publication> listener : this.listeners) {
				listener.accept(publication);
			}
			return publication;
		}

		StreamPosition position() {
			return (this.epoch != null) ? new StreamPosition(this.epoch, this.offset) : virtualPosition();
		}

		/**
		 * What a history read takes under the lock: JSON, decoded once it is released.
		 */
		Read read(long since, int limit) {
			List<String> events = new ArrayList<>(Math.min(limit, this.recent.size()));
			for (Recorded recorded : this.recent) {
				if (recorded.offset() > since) {
					if (events.size() == limit) {
						break;
					}
					events.add(recorded.json());
				}
			}
			return new Read(position(), events);
		}

		void reset() {
			this.epoch = Epochs.next();
			this.offset = 0;
			this.recent.clear();
			this.bytes = 0;
		}

	}

}
