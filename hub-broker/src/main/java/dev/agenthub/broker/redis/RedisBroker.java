package dev.agenthub.broker.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
import dev.agenthub.broker.Epochs;
import dev.agenthub.broker.EventJson;
import dev.agenthub.broker.History;
import dev.agenthub.broker.NaturalBatcher;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
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

	private static final String NOT_CONNECTED = "the event bus is not connected to Redis, or too busy to take more:"
			+ " nothing was published";

	private final RedisClusterReactiveCommands<String, String> commands;

	/** Whether the command connection is up (a publish is not even tried when not). */
	private final BooleanSupplier connected;

	private final RedisBrokerOptions options;

	private final KeyLayout layout;

	/** The channels this node listens to, and their Redis subscriptions. */
	private final PubSubChannels channels;

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
		this.commands = commands;
		this.connected = connected;
		this.options = options;
		this.layout = options.layout();
		this.channels = new PubSubChannels(pubSub, sharded, this.layout);
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
		return this.channels.subscribe(channel, listener);
	}

	/** Number of channels this node is subscribed to in Redis (for tests and metrics). */
	public int subscribedChannels() {
		return this.channels.size();
	}

}
