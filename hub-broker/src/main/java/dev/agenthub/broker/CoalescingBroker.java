package dev.agenthub.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Broker} whose identical reads share one engine round trip. When thousands of
 * clients resume on one node at once (a gateway died), most of them read the same channel
 * from the same offset: the engine would answer the same history thousands of times, and
 * time out doing it.
 * <p>
 * Reads of one channel with the same {@code since} and {@code limit} are merged, but a
 * read never serves a request made after it started: a request that comes while a read of
 * its key is in flight waits for the next one, which starts when that read ends and
 * serves every request that came meanwhile. So each caller gets a history read after it
 * asked — after it joined the channel's live events, which is what gap-free resume relies
 * on — and a key costs at most two reads per round trip however many ask. Positions are
 * reads with {@code limit} 0. Publishes and subscriptions pass through.
 */
public final class CoalescingBroker implements Broker {

	private final Broker engine;

	/**
	 * Keys with a read in flight, each with the requests that came since and wait for the
	 * next read (guarded by itself).
	 */
	private final Map<Key, List<MonoSink<History>>> reads = new HashMap<>();

	public CoalescingBroker(Broker engine) {
		this.engine = engine;
	}

	/** The engine this broker reads through. */
	public Broker engine() {
		return this.engine;
	}

	@Override
	public Mono<Publication> publish(String channel, String type, JsonNode data) {
		return this.engine.publish(channel, type, data);
	}

	@Override
	public Mono<StreamPosition> position(String channel) {
		return read(new Key(channel, 0, 0)).map(History::position);
	}

	@Override
	public Mono<History> history(String channel, long since, int limit) {
		return read(new Key(channel, since, limit));
	}

	@Override
	public Mono<History> existingHistory(String channel, long since, int limit) {
		// rare (owner lookups): not coalesced
		return this.engine.existingHistory(channel, since, limit);
	}

	@Override
	public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return this.engine.subscribe(channel, listener);
	}

	/** Keys with a read in flight or requests waiting (for tests and metrics). */
	public int pendingKeys() {
		synchronized (this.reads) {
			return this.reads.size();
		}
	}

	private Mono<History> read(Key key) {
		return Mono.create((sink) -> {
			synchronized (this.reads) {
				List<MonoSink<History>> waiting = this.reads.get(key);
				if (waiting != null) {
					// a read is in flight, begun before this request: wait for the next
					waiting.add(sink);
					return;
				}
				this.reads.put(key, new ArrayList<>());
			}
			// nothing in flight: read now
			start(key, List.of(sink));
		});
	}

	private void start(Key key, List<MonoSink<History>> batch) {
		Mono<History> engineRead = (key.limit == 0)
				? this.engine.position(key.channel).map((position) -> new History(position, List.of()))
				: this.engine.history(key.channel, key.since, key.limit);
		engineRead.switchIfEmpty(Mono.error(() -> new IllegalStateException("the engine answered no history")))
			.subscribe((history) -> finish(key, batch, history, null), (ex) -> finish(key, batch, null, ex), () -> {
			});
	}

	private void finish(Key key, List<MonoSink<History>> batch, @Nullable History history, @Nullable Throwable error) {
		List<MonoSink<History>> next;
		synchronized (this.reads) {
			next = this.reads.remove(key);
			if (next != null && !next.isEmpty()) {
				// the next read is in flight from now: later requests wait for the one
				// after
				this.reads.put(key, new ArrayList<>());
			}
		}
		for (MonoSink<History> sink : batch) {
			if (error != null) {
				sink.error(error);
			}
			else {
				sink.success(history);
			}
		}
		if (next != null && !next.isEmpty()) {
			start(key, next);
		}
	}

	private record Key(String channel, long since, int limit) {

	}

}
