package dev.agenthub.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
import dev.agenthub.broker.Epochs;
import dev.agenthub.broker.EventJson;
import dev.agenthub.broker.History;
import dev.agenthub.broker.NaturalBatcher;
import dev.agenthub.broker.Outcome;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@link Broker} on Redis. Publish is one Lua script ({@code publish.lua}): next offset
 * in the channel's meta hash, append to the channel's history stream (entry id
 * {@code <offset>-1}, trimmed to its bounds in events and in bytes), append to the
 * durable-log stream (bounded alike), and {@code PUBLISH} of the JSON ({@code SPUBLISH}
 * on a Redis Cluster, where every key of the script shares the channel's partition slot,
 * see {@link KeyLayout}). A node holds one pub/sub connection and subscribes only to the
 * channels its listeners use, one Redis subscription per channel however many listeners
 * share it. Ephemeral channels ({@link RedisBrokerOptions#ephemeralPrefixes()}) get no
 * keys until a publish, and keys that expire after
 * {@link RedisBrokerOptions#ephemeralTtl()}.
 */
public class RedisBroker implements Broker {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private static final LuaScript PUBLISH = LuaScript.load("publish.lua");

	private static final LuaScript HISTORY = LuaScript.load("history.lua");

	/** Channels whose positions one script call reads at most. */
	static final int POSITION_BATCH = 64;

	/** Channels one {@code UNSUBSCRIBE} names at most. */
	static final int UNSUBSCRIBE_BATCH = 500;

	/** How often channels left while Redis was unavailable are tried again. */
	private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

	private static final String NOT_CONNECTED = "the event bus is not connected to Redis, or too busy to take more:"
			+ " nothing was published";

	private final RedisClusterReactiveCommands<String, String> commands;

	/** Whether the command connection is up (a publish is not even tried when not). */
	private final BooleanSupplier connected;

	private final StatefulRedisPubSubConnection<String, String> pubSub;

	private final RedisBrokerOptions options;

	private final KeyLayout layout;

	/** On a cluster: the sharded subscriptions, kept at each slot's current master. */
	private final ShardedSubscriptions sharded;

	private final Map<String, Listeners> channels = new ConcurrentHashMap<>();

	/**
	 * Channels to unsubscribe from in the next command (guarded by the channels' lock).
	 */
	private final Set<String> toUnsubscribe = new LinkedHashSet<>();

	/** Whether an {@code UNSUBSCRIBE} is in flight (guarded by the channels' lock). */
	private boolean unsubscribeInFlight;

	/** Channels left while Redis was unavailable, to unsubscribe from once it is back. */
	private final Set<String> left = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean sweepScheduled = new AtomicBoolean();

	/** Whether an unsubscribe's failure was logged and its channels not yet swept. */
	private final AtomicBoolean leftLogged = new AtomicBoolean();

	/** Position reads batched on one Redis (see {@link #position}). */
	private final NaturalBatcher<String, StreamPosition> positions = new NaturalBatcher<>(POSITION_BATCH,
			this::readPositions);

	/** A broker on one Redis. */
	public RedisBroker(StatefulRedisConnection<String, String> connection,
			StatefulRedisPubSubConnection<String, String> pubSub, RedisBrokerOptions options) {
		this(connection.reactive(), connection::isOpen, pubSub, options, null);
	}

	/**
	 * A broker on a Redis Cluster: the options must name partitions, and delivery uses
	 * sharded pub/sub, each channel subscribed at the node serving its slot.
	 */
	public RedisBroker(StatefulRedisClusterConnection<String, String> connection,
			StatefulRedisClusterPubSubConnection<String, String> pubSub, RedisBrokerOptions options) {
		this(connection.reactive(), connection::isOpen, pubSub, requirePartitions(options),
				new ShardedSubscriptions(pubSub));
	}

	private RedisBroker(RedisClusterReactiveCommands<String, String> commands, BooleanSupplier connected,
			StatefulRedisPubSubConnection<String, String> pubSub, RedisBrokerOptions options,
			ShardedSubscriptions sharded) {
		this.sharded = sharded;
		this.commands = commands;
		this.connected = connected;
		this.pubSub = pubSub;
		this.options = options;
		this.layout = options.layout();
		this.pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String pubSubChannel, String message) {
				dispatch(pubSubChannel, message);
			}

			@Override
			public void smessage(String pubSubChannel, String message) {
				dispatch(pubSubChannel, message);
			}
		});
	}

	private static RedisBrokerOptions requirePartitions(RedisBrokerOptions options) {
		if (options.partitions() < 1) {
			throw new IllegalArgumentException("A Redis Cluster needs partitions >= 1");
		}
		return options;
	}

	@Override
	public Mono<Publication> publish(String channel, String type, JsonNode data) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		EventJson json = EventJson.of(channel, type, data, now);
		String[] keys = { this.layout.meta(channel), this.layout.history(channel), this.layout.log(channel),
				this.layout.logBytes(channel) };
		boolean ephemeral = this.options.ephemeral(channel);
		Duration historyTtl = ephemeral ? this.options.ephemeralTtl() : this.options.historyTtl();
		Duration metaTtl = ephemeral ? this.options.ephemeralTtl() : this.options.metaTtl();
		if (!this.connected.getAsBoolean()) {
			return Mono.error(new EngineUnavailableException(NOT_CONNECTED, null));
		}
		return PUBLISH
			.run(this.commands, keys, Epochs.next(), json.head(), json.tail(),
					Integer.toString(this.options.historySize()), Long.toString(historyTtl.toSeconds()),
					Long.toString(metaTtl.toSeconds()), Long.toString(this.options.logSize()),
					this.layout.pubSub(channel), this.layout.publishCommand(), this.layout.sharded() ? "1" : "0",
					Long.toString(this.options.historyBytes()), Long.toString(this.options.logBytes()))
			.map((result) -> {
				String epoch = (String) result.get(0);
				long offset = (Long) result.get(1);
				return new Publication(new HubEvent(type, channel, offset, epoch, data, now),
						json.assemble(offset, epoch));
			})
			.onErrorMap(RedisBroker::rejected, (ex) -> new EngineUnavailableException(NOT_CONNECTED, ex));
	}

	/**
	 * Whether Lettuce refused the command without writing it — its connection is down and
	 * it rejects commands meanwhile, or its queue of commands not yet answered is full
	 * ({@code hub.redis.request-queue}; refused as it is queued, or as it is about to be
	 * written): nothing reached Redis.
	 */
	static boolean rejected(Throwable ex) {
		return ex instanceof RedisException && !(ex instanceof RedisCommandTimeoutException) && ex.getMessage() != null
				&& (ex.getMessage().contains("Commands are rejected")
						|| ex.getMessage().contains("Commands are not accepted until"));
	}

	@Override
	public Mono<StreamPosition> position(String channel) {
		// On one Redis, positions asked for while one is being read go together in
		// the next call (a crowd of connects reads two implicit channels each); a
		// cluster keeps each channel's keys in a slot of their own, so there each
		// is a call of its own.
		return this.layout.sharded() ? readHistory(List.of(channel), 0, 0).map((h) -> h.get(0).position())
				: this.positions.submit(channel);
	}

	@Override
	public Mono<History> history(String channel, long since, int limit) {
		return readHistory(List.of(channel), since, limit).map((histories) -> histories.get(0));
	}

	@Override
	public Mono<History> existingHistory(String channel, long since, int limit) {
		return readHistory(List.of(channel), since, limit, false).mapNotNull((histories) -> {
			History history = histories.get(0);
			return history.position().epoch().isEmpty() ? null : history;
		});
	}

	private Mono<List<StreamPosition>> readPositions(List<String> channels) {
		return readHistory(channels, 0, 0).map((histories) -> histories.stream().map(History::position).toList());
	}

	private Mono<List<History>> readHistory(List<String> channels, long since, int limit) {
		return readHistory(channels, since, limit, true);
	}

	/**
	 * One script call reading each channel (see history.lua); with {@code create} false a
	 * channel without an epoch answers an empty one and gets none.
	 */
	@SuppressWarnings("unchecked")
	private Mono<List<History>> readHistory(List<String> channels, long since, int limit, boolean create) {
		String[] keys = new String[2 * channels.size()];
		String[] args = new String[4 + 2 * channels.size()];
		args[0] = Long.toString(Math.max(since, 0));
		args[1] = Integer.toString(limit);
		args[2] = Long.toString(this.options.metaTtl().toSeconds());
		args[3] = this.layout.sharded() ? "1" : "0";
		for (int i = 0; i < channels.size(); i++) {
			String channel = channels.get(i);
			keys[2 * i] = this.layout.meta(channel);
			keys[2 * i + 1] = this.layout.history(channel);
			args[4 + 2 * i] = Epochs.next();
			args[5 + 2 * i] = !create ? "peek"
					: this.options.ephemeral(channel) ? Long.toString(this.options.ephemeralTtl().toSeconds()) : "0";
		}
		return HISTORY.run(this.commands, keys, args).map((result) -> {
			List<History> histories = new ArrayList<>(channels.size());
			for (int i = 0; i + 2 < result.size(); i += 3) {
				StreamPosition position = new StreamPosition(Epochs.shared((String) result.get(i)),
						Long.parseLong((String) result.get(i + 1)));
				List<Object> entries = (List<Object>) result.get(i + 2);
				List<Publication> events = new ArrayList<>(entries.size());
				for (Object entry : entries) {
					List<Object> fields = (List<Object>) ((List<Object>) entry).get(1);
					String eventJson = (String) fields.get(1);
					events.add(new Publication(HubJson.decodeEvent(eventJson), eventJson));
				}
				histories.add(new History(position, events));
			}
			if (histories.size() != channels.size()) {
				throw new IllegalStateException(
						"history of " + channels.size() + " channels answered " + histories.size());
			}
			return histories;
		});
	}

	@Override
	public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return Mono.defer(() -> {
			Listeners listeners;
			synchronized (this.channels) {
				listeners = this.channels.computeIfAbsent(channel, (name) -> {
					// not to be unsubscribed after all (if it was on its way, this
					// subscription's command follows it)
					this.toUnsubscribe.remove(name);
					return new Listeners(subscribed(this.layout.pubSub(name)));
				});
				listeners.add(listener);
			}
			Disposable registration = () -> unsubscribe(channel, listeners, listener);
			return listeners.active.doOnError((ex) -> registration.dispose()).thenReturn(registration);
		});
	}

	/** Subscribes a node to a Redis channel once, remembering only the outcome. */
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

	/**
	 * Unsubscribes the node from a channel nobody listens to any more; called under the
	 * channels' lock, so that a later subscription's command follows this one. On one
	 * Redis the channels left while an {@code UNSUBSCRIBE} is in flight go together in
	 * the next (at most {@value #UNSUBSCRIBE_BATCH} a command): a crowd disconnecting at
	 * once — a gateway's clients leaving, each with channels of its own — is a few
	 * commands, not one per channel (10,000 of them filled the command queue in a storm).
	 * When Redis is gone or overloaded the channels are left to {@link #sweep()}: the
	 * Redis client restores the subscriptions it holds when it reconnects, and one whose
	 * unsubscribe failed would bring the node that channel's events from then on, with
	 * nobody to give them to.
	 */
	private void unsubscribeInRedis(String channel) {
		if (this.sharded != null) {
			String pubSubChannel = this.layout.pubSub(channel);
			this.sharded.unsubscribe(pubSubChannel)
				.subscribe(null, (ex) -> unsubscribeFailed(List.of(channel), ex), this::unsubscribed);
			return;
		}
		this.toUnsubscribe.add(channel);
		if (!this.unsubscribeInFlight) {
			flushUnsubscribes();
		}
	}

	/** Sends the next batch of channels to unsubscribe from; under the channels' lock. */
	private void flushUnsubscribes() {
		List<String> batch = new ArrayList<>(Math.min(this.toUnsubscribe.size(), UNSUBSCRIBE_BATCH));
		Iterator<String> queued = this.toUnsubscribe.iterator();
		while (queued.hasNext() && batch.size() < UNSUBSCRIBE_BATCH) {
			batch.add(queued.next());
			queued.remove();
		}
		if (batch.isEmpty()) {
			return;
		}
		this.unsubscribeInFlight = true;
		String[] pubSubChannels = batch.stream().map(this.layout::pubSub).toArray(String[]::new);
		this.pubSub.reactive().unsubscribe(pubSubChannels).subscribe(null, (ex) -> {
			unsubscribeFailed(batch, ex);
			nextUnsubscribes();
		}, () -> {
			unsubscribed();
			nextUnsubscribes();
		});
	}

	private void nextUnsubscribes() {
		synchronized (this.channels) {
			this.unsubscribeInFlight = false;
			flushUnsubscribes();
		}
	}

	private void unsubscribeFailed(List<String> channels, Throwable ex) {
		if (!EngineUnavailableException.outage(ex)) {
			logger.warn("Could not unsubscribe from {} channels ({}, …): {}", channels.size(), channels.get(0),
					ex.toString());
			return;
		}
		if (this.leftLogged.compareAndSet(false, true)) {
			logger.warn(
					"Could not unsubscribe from {} channels ({}, …: {}); the channels left while Redis is "
							+ "unavailable or overloaded are unsubscribed once it answers",
					channels.size(), channels.get(0), ex.toString());
		}
		this.left.addAll(channels);
		sweepLater();
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

	/** Number of channels this node is subscribed to in Redis (for tests and metrics). */
	public int subscribedChannels() {
		return this.channels.size();
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
	 * under the broker's lock by copying, read without it: an array, not a
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
