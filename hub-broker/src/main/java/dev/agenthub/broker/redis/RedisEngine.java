package dev.agenthub.broker.redis;

import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The engine's Redis, one server or a cluster, as the features that keep state beside the
 * broker use it (presence, leases, resume records, the node bus). Rules that hold on
 * both:
 * <ul>
 * <li>commands go through {@link #commands()}, the commands a cluster supports;</li>
 * <li>keys that one script or one multi-key command touches together carry the same hash
 * tag, built with {@link #tag(String)}, placed before any part a client chose;</li>
 * <li>pub/sub goes through {@link #publish} and {@link #subscribe}: plain on one server,
 * sharded ({@code SPUBLISH}/{@code SSUBSCRIBE}) on a cluster, so that a message touches
 * only its channel's shard.</li>
 * </ul>
 */
public final class RedisEngine {

	private final RedisClusterReactiveCommands<String, String> commands;

	private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSub;

	private final boolean cluster;

	private RedisEngine(RedisClusterReactiveCommands<String, String> commands,
			Supplier<StatefulRedisPubSubConnection<String, String>> pubSub, boolean cluster) {
		this.commands = commands;
		this.pubSub = pubSub;
		this.cluster = cluster;
	}

	/** One Redis server. */
	public static RedisEngine of(RedisClient client, StatefulRedisConnection<String, String> connection) {
		return new RedisEngine(connection.reactive(), client::connectPubSub, false);
	}

	/** A Redis Cluster. */
	public static RedisEngine of(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection) {
		return new RedisEngine(connection.reactive(), () -> {
			StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub();
			// Sharded messages arrive on the connection to their slot's node.
			pubSub.setNodeMessagePropagation(true);
			return pubSub;
		}, true);
	}

	/** Commands valid on one server and on a cluster. */
	public RedisClusterReactiveCommands<String, String> commands() {
		return this.commands;
	}

	/** Whether this is a cluster. */
	public boolean cluster() {
		return this.cluster;
	}

	/**
	 * {@code name} as a hash tag on a cluster ({@code {name}}), unchanged on one server
	 * (where key names stay as they were).
	 */
	public String tag(String name) {
		return this.cluster ? "{" + name + "}" : name;
	}

	/** A new pub/sub connection; its listeners receive plain and sharded messages. */
	public StatefulRedisPubSubConnection<String, String> connectPubSub() {
		return this.pubSub.get();
	}

	/** Publishes; returns the number of receivers. */
	public Mono<Long> publish(String channel, String message) {
		return this.cluster ? this.commands.spublish(channel, message) : this.commands.publish(channel, message);
	}

	/**
	 * Subscribes a pub/sub connection made by {@link #connectPubSub()} to a channel. On a
	 * cluster the subscription is held at the master that serves the channel's slot and
	 * moved when another takes over (the client does not move sharded subscriptions by
	 * itself).
	 * @return completes once subscribed, with what ends the subscription (and, on a
	 * cluster, stops following the topology for it)
	 */
	public Mono<Disposable> subscribe(StatefulRedisPubSubConnection<String, String> connection, String channel) {
		if (connection instanceof StatefulRedisClusterPubSubConnection<String, String> cluster) {
			ShardedSubscriptions sharded = new ShardedSubscriptions(cluster);
			return sharded.subscribe(channel).doOnError((ex) -> sharded.close()).thenReturn(() -> {
				sharded.close();
				sharded.unsubscribe(channel).onErrorResume((ex) -> Mono.empty()).subscribe();
			});
		}
		return connection.reactive()
			.subscribe(channel)
			.thenReturn(
					() -> connection.reactive().unsubscribe(channel).onErrorResume((ex) -> Mono.empty()).subscribe());
	}

	/** Pings the server (the cluster node of the default connection). */
	public Mono<String> ping() {
		return this.commands.ping();
	}

}
