package dev.agenthub.broker.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
import dev.agenthub.broker.NaturalBatcher;
import dev.agenthub.broker.Outcome;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The channels a node listens to on Redis pub/sub ({@link RedisBroker}'s live side): one
 * Redis subscription per channel however many listeners share it, taken when its first
 * listener comes and given up when its last one goes.
 * <p>
 * On one Redis the channels left while an {@code UNSUBSCRIBE} is in flight go together in
 * the next ({@link NaturalBatcher}, at most {@value #UNSUBSCRIBE_BATCH} a command): a
 * crowd disconnecting at once — a gateway's clients, each with channels of its own — is a
 * few commands, not one per channel (10,000 of them filled the command queue in a storm).
 * When Redis is gone or overloaded the channels left are tried again once it answers
 * ({@link #sweep()}): the Redis client restores the subscriptions it holds when it
 * reconnects, and one whose unsubscribe failed would bring the node that channel's events
 * from then on, with nobody to give them to (on a cluster {@link ShardedSubscriptions}
 * does it, at the node the channel was left at).
 */
final class PubSubChannels {

	private static final Logger logger = LoggerFactory.getLogger(PubSubChannels.class);

	/** Channels one {@code UNSUBSCRIBE} names at most. */
	static final int UNSUBSCRIBE_BATCH = 500;

	/** How often channels left while Redis was unavailable are tried again. */
	private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

	private final StatefulRedisPubSubConnection<String, String> pubSub;

	/** On a cluster: the sharded subscriptions, kept at each slot's current master. */
	private final ShardedSubscriptions sharded;

	private final KeyLayout layout;

	/** Changed under its own lock, read without it. */
	private final Map<String, Listeners> channels = new ConcurrentHashMap<>();

	/** Unsubscribes on one Redis, batched. */
	private final NaturalBatcher<String, Boolean> unsubscribes = new NaturalBatcher<>(UNSUBSCRIBE_BATCH,
			this::unsubscribe);

	/** Channels left while Redis was unavailable, to unsubscribe from once it is back. */
	private final Set<String> left = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean sweepScheduled = new AtomicBoolean();

	/** Channels whose listeners catch up, a few at a time. */
	private final CatchUps catchUps = new CatchUps();

	/** Whether an unsubscribe's failure was logged and its channels not yet swept. */
	private final AtomicBoolean leftLogged = new AtomicBoolean();

	PubSubChannels(StatefulRedisPubSubConnection<String, String> pubSub, ShardedSubscriptions sharded,
			KeyLayout layout) {
		this.pubSub = pubSub;
		this.sharded = sharded;
		this.layout = layout;
		pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pubSubChannel, String message) {
				dispatch(pubSubChannel, message);
			}

			@Override
			public void smessage(String pubSubChannel, String message) {
				dispatch(pubSubChannel, message);
			}
		});
		if (sharded != null) {
			sharded.onResubscribed((pubSubChannel) -> catchUp(layout.channelOfPubSub(pubSubChannel)));
		}
		else {
			pubSub.addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
					resubscribed();
				}
			});
		}
	}

	/**
	 * The connection came back and the client restored its subscriptions: once they are
	 * in force (a {@code PING} sent after them is answered after them), every channel's
	 * listeners catch up on what was published while the connection was down.
	 */
	private void resubscribed() {
		this.pubSub.reactive().ping().subscribe((pong) -> this.channels.keySet().forEach(this::catchUp), (ex) -> {
			logger.debug("No answer to a PING after reconnecting ({}); catching up now", ex.toString());
			this.channels.keySet().forEach(this::catchUp);
		});
	}

	/**
	 * Tells a channel's listeners at once that they are behind; their reads wait their
	 * turn ({@link CatchUps}), skipped if the channel was left meanwhile.
	 */
	private void catchUp(String channel) {
		Listeners listeners = this.channels.get(channel);
		if (listeners != null) {
			Mono<Void> read = listeners.catchUp(channel);
			this.catchUps.request(channel,
					Mono.defer(() -> (this.channels.get(channel) == listeners) ? read : Mono.empty()));
		}
	}

	/** Adds a listener to a channel, subscribing the node to it if it is the first. */
	Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return Mono.defer(() -> {
			Listeners listeners;
			synchronized (this.channels) {
				listeners = this.channels.computeIfAbsent(channel,
						(name) -> new Listeners(subscribed(this.layout.pubSub(name))));
				listeners.add(listener);
			}
			Disposable registration = () -> unsubscribe(channel, listeners, listener);
			return listeners.active.doOnError((ex) -> registration.dispose()).thenReturn(registration);
		});
	}

	/** Number of channels the node is subscribed to. */
	int size() {
		return this.channels.size();
	}

	/** Subscribes the node to a Redis channel once, remembering only the outcome. */
	private Mono<Void> subscribed(String pubSubChannel) {
		return Outcome.of((this.sharded != null) ? this.sharded.subscribe(pubSubChannel)
				: this.pubSub.reactive().subscribe(pubSubChannel));
	}

	private void unsubscribe(String channel, Listeners listeners, Consumer<Publication> listener) {
		synchronized (this.channels) {
			if (listeners.remove(listener) && listeners.isEmpty() && this.channels.get(channel) == listeners) {
				this.channels.remove(channel);
				unsubscribeInRedis(channel);
			}
		}
	}

	private void unsubscribeInRedis(String channel) {
		Mono<?> unsubscribed = (this.sharded != null) ? this.sharded.unsubscribe(this.layout.pubSub(channel))
				: this.unsubscribes.submit(channel);
		unsubscribed.subscribe(null, (ex) -> {
			if (EngineUnavailableException.outage(ex)) {
				leave(channel, ex);
			}
		}, this::unsubscribed);
	}

	/**
	 * One {@code UNSUBSCRIBE} for a batch of channels left, sent under the channels'
	 * lock: a channel listened to again meanwhile stays subscribed (its {@code SUBSCRIBE}
	 * follows any {@code UNSUBSCRIBE} already sent, on the same connection).
	 */
	private Mono<List<Boolean>> unsubscribe(List<String> batch) {
		List<Boolean> done = Collections.nCopies(batch.size(), Boolean.TRUE);
		Mono<Void> sent;
		synchronized (this.channels) {
			String[] gone = batch.stream()
				.filter((channel) -> !this.channels.containsKey(channel))
				.distinct()
				.map(this.layout::pubSub)
				.toArray(String[]::new);
			if (gone.length == 0) {
				return Mono.just(done);
			}
			sent = Outcome.of(this.pubSub.reactive().unsubscribe(gone));
		}
		return sent.doOnError((ex) -> {
			if (!EngineUnavailableException.outage(ex)) {
				logger.warn("Could not unsubscribe from {} channels ({}, …): {}", batch.size(), batch.get(0),
						ex.toString());
			}
		}).thenReturn(done);
	}

	private void leave(String channel, Throwable ex) {
		if (this.leftLogged.compareAndSet(false, true)) {
			logger.warn("Could not unsubscribe from {} ({}); the channels left while Redis is unavailable or "
					+ "overloaded are unsubscribed once it answers", channel, ex.toString());
		}
		if (this.sharded == null) {
			this.left.add(channel);
			sweepLater();
		}
		// else ShardedSubscriptions unsubscribes it at the node it was left at, once back
	}

	private void unsubscribed() {
		if (this.leftLogged.compareAndSet(true, false)) {
			logger.info("Unsubscribing from the channels left while Redis was unavailable or overloaded");
		}
	}

	private void sweepLater() {
		if (this.sweepScheduled.compareAndSet(false, true)) {
			Mono.delay(SWEEP_INTERVAL)
				.subscribe((tick) -> sweep(),
						(ex) -> logger.warn("Could not sweep the channels left while Redis was unavailable", ex));
		}
	}

	/** Tries again to unsubscribe from the channels left while Redis was unavailable. */
	private void sweep() {
		this.sweepScheduled.set(false);
		if (this.pubSub instanceof RedisChannelHandler<?, ?> handler && handler.isClosed()) {
			// closed for good (the node stops): nothing to restore them
			this.left.clear();
			return;
		}
		if (!this.pubSub.isOpen()) {
			sweepLater();
			return;
		}
		synchronized (this.channels) {
			for (String channel : List.copyOf(this.left)) {
				this.left.remove(channel);
				// a channel listened to again is subscribed as it should be
				if (!this.channels.containsKey(channel)) {
					unsubscribeInRedis(channel);
				}
			}
		}
	}

	private void dispatch(String pubSubChannel, String message) {
		Listeners listeners = this.channels.get(this.layout.channelOfPubSub(pubSubChannel));
		if (listeners == null || listeners.isEmpty()) {
			return;
		}
		Publication publication;
		try {
			publication = new Publication(HubJson.decodeEvent(message), message);
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping undecodable message on {}: {}", pubSubChannel, ex.getMessage());
			return;
		}
		listeners.deliver(publication);
	}

	/**
	 * A channel's listeners on this node (usually one: the gateway's fan-out). Changed
	 * under the channels' lock by copying, read without it: an array, not a
	 * {@code CopyOnWriteArrayList} and its lock object for every channel of every
	 * connection.
	 */
	private static final class Listeners {

		@SuppressWarnings("unchecked")
		private static final Consumer<Publication>[] NONE = new Consumer[0];

		private volatile Consumer<Publication>[] list = NONE;

		private final Mono<Void> active;

		Listeners(Mono<Void> active) {
			this.active = active;
		}

		void add(Consumer<Publication> listener) {
			Consumer<Publication>[] current = this.list;
			Consumer<Publication>[] more = Arrays.copyOf(current, current.length + 1);
			more[current.length] = listener;
			this.list = more;
		}

		boolean remove(Consumer<Publication> listener) {
			Consumer<Publication>[] current = this.list;
			for (int i = 0; i < current.length; i++) {
				if (current[i].equals(listener)) {
					@SuppressWarnings("unchecked")
					Consumer<Publication>[] fewer = (current.length == 1) ? NONE : new Consumer[current.length - 1];
					System.arraycopy(current, 0, fewer, 0, i);
					System.arraycopy(current, i + 1, fewer, i, current.length - i - 1);
					this.list = fewer;
					return true;
				}
			}
			return false;
		}

		boolean isEmpty() {
			return this.list.length == 0;
		}

		Mono<Void> catchUp(String channel) {
			List<Mono<Void>> reads = new ArrayList<>(1);
			for (Consumer<Publication> listener : this.list) {
				if (listener instanceof Broker.CatchUpListener catchingUp) {
					try {
						reads.add(catchingUp.catchUp());
					}
					catch (RuntimeException ex) {
						logger.error("Listener failed to catch up on {}", channel, ex);
					}
				}
			}
			return Mono.when(reads);
		}

		void deliver(Publication publication) {
			for (Consumer<Publication> listener : this.list) {
				try {
					listener.accept(publication);
				}
				catch (RuntimeException ex) {
					// One faulty listener must not starve the others on this channel.
					logger.error("Listener failed on {}", publication.event().channel(), ex);
				}
			}
		}

	}

}
