package dev.agenthub.broker.memory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Epochs;
import dev.agenthub.broker.EventJson;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.contracts.event.HubEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@link Broker} in one JVM: per channel an epoch, an offset counter, a bounded ring of
 * recent events and a list of listeners, all changed under the channel's lock so that
 * offsets are gapless and listeners see publish order. Every publication is also offered
 * to the {@link InMemoryLogFeed}.
 */
public class InMemoryBroker implements Broker {

	private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();

	private final int historySize;

	private final InMemoryLogFeed logFeed;

	/**
	 * @param historySize events kept per channel
	 * @param logFeed where every publication goes for the durable log
	 */
	public InMemoryBroker(int historySize, InMemoryLogFeed logFeed) {
		this.historySize = historySize;
		this.logFeed = logFeed;
	}

	@Override
	public Mono<Publication> publish(String channel, String type, JsonNode data) {
		return Mono.fromSupplier(() -> state(channel).publish(channel, type, data));
	}

	@Override
	public Mono<StreamPosition> position(String channel) {
		return Mono.fromSupplier(() -> state(channel).position());
	}

	@Override
	public Mono<History> history(String channel, long since, int limit) {
		return Mono.fromSupplier(() -> state(channel).history(since, limit));
	}

	@Override
	public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return Mono.fromSupplier(() -> {
			ChannelState state = state(channel);
			state.listeners.add(listener);
			return () -> state.listeners.remove(listener);
		});
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

	private ChannelState state(String channel) {
		return this.channels.computeIfAbsent(channel, (name) -> new ChannelState());
	}

	private final class ChannelState {

		private final List<Consumer<Publication>> listeners = new CopyOnWriteArrayList<>();

		private final ArrayDeque<Publication> recent = new ArrayDeque<>();

		private String epoch = Epochs.next();

		private long offset;

		synchronized Publication publish(String channel, String type, JsonNode data) {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			long next = ++this.offset;
			String json = EventJson.of(channel, type, data, now).assemble(next, this.epoch);
			Publication publication = new Publication(new HubEvent(type, channel, next, this.epoch, data, now), json);
			this.recent.addLast(publication);
			if (this.recent.size() > InMemoryBroker.this.historySize) {
				this.recent.removeFirst();
			}
			InMemoryBroker.this.logFeed.offer(publication);
			for (Consumer<Publication> listener : this.listeners) {
				listener.accept(publication);
			}
			return publication;
		}

		synchronized StreamPosition position() {
			return new StreamPosition(this.epoch, this.offset);
		}

		synchronized History history(long since, int limit) {
			List<Publication> events = new ArrayList<>(Math.min(limit, this.recent.size()));
			for (Publication publication : this.recent) {
				if (publication.offset() > since) {
					if (events.size() == limit) {
						break;
					}
					events.add(publication);
				}
			}
			return new History(position(), events);
		}

		void reset() {
			this.epoch = Epochs.next();
			this.offset = 0;
			this.recent.clear();
		}

	}

}
