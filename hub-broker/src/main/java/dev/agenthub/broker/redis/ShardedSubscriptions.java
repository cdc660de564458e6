package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sharded pub/sub subscriptions of one cluster pub/sub connection, each held at the
 * master that serves its channel's slot, and moved when that changes. The client does not
 * move sharded subscriptions by itself: when a replica takes over from a dead master, or
 * a slot migrates, the subscriptions stay with the old node and go silent. Here four
 * times a second each channel whose slot has another master (in the client's view of the
 * partitions, which its topology refresh keeps) than the one it is subscribed at is
 * subscribed again at the new one. Messages received on the node connections reach the
 * connection's listeners (node message propagation). It follows the topology until
 * {@linkplain #close() closed}.
 */
final class ShardedSubscriptions implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ShardedSubscriptions.class);

	private static final Duration RECONCILE = Duration.ofMillis(250);

	/** Empty while a subscription is being made. */
	private static final String PENDING = "";

	private final StatefulRedisClusterPubSubConnection<String, String> pubSub;

	private final Map<String, String> nodeOf = new ConcurrentHashMap<>();

	private final Disposable reconciler;

	ShardedSubscriptions(StatefulRedisClusterPubSubConnection<String, String> pubSub) {
		this.pubSub = pubSub;
		pubSub.setNodeMessagePropagation(true);
		// Ticks only, not the client's topology events: its event bus hands them over
		// through publishOn on the client's executor, and an event that races the end of
		// a subscription is refused by the disposed worker and dropped as an error. A
		// failover takes seconds; a quarter of a second more to follow it is the cost.
		this.reconciler = Flux.interval(RECONCILE)
			.onBackpressureDrop()
			.concatMap((tick) -> reconcile(), 1)
			.subscribe(null, (ex) -> logger.error("Sharded subscriptions stopped following the topology", ex));
	}

	/** Subscribes a channel at its slot's master; completes once subscribed. */
	Mono<Void> subscribe(String channel) {
		this.nodeOf.put(channel, PENDING);
		return subscribeAtOwner(channel);
	}

	/** Unsubscribes a channel (best effort: its node may be gone). */
	Mono<Void> unsubscribe(String channel) {
		String node = this.nodeOf.remove(channel);
		if (node == null || node.isEmpty()) {
			return Mono.empty();
		}
		return onNode(node, channel, false);
	}

	private Mono<Void> reconcile() {
		List<String> moved = this.nodeOf.entrySet().stream().filter((entry) -> {
			RedisClusterNode owner = owner(entry.getKey());
			return owner != null && !entry.getValue().isEmpty() && !owner.getNodeId().equals(entry.getValue());
		}).map(Map.Entry::getKey).toList();
		if (moved.isEmpty()) {
			return Mono.empty();
		}
		logger.info("Slots changed hands: subscribing {} channels at their new masters", moved.size());
		return Flux.fromIterable(moved).flatMap((channel) -> subscribeAtOwner(channel).onErrorResume((ex) -> {
			// Tried again on the next tick.
			logger.debug("Could not move the subscription of {} yet: {}", channel, ex.toString());
			return Mono.empty();
		}), 16).then();
	}

	private Mono<Void> subscribeAtOwner(String channel) {
		return Mono.defer(() -> {
			RedisClusterNode owner = owner(channel);
			if (owner == null) {
				return Mono.error(new RedisException("No master serves the slot of " + channel + " now"));
			}
			String node = owner.getNodeId();
			return onNode(node, channel, true).then(Mono.defer(() -> {
				if (this.nodeOf.computeIfPresent(channel, (key, old) -> node) == null) {
					// Unsubscribed meanwhile.
					return onNode(node, channel, false);
				}
				return Mono.empty();
			}));
		});
	}

	private Mono<Void> onNode(String node, String channel, boolean subscribe) {
		return Mono.fromCompletionStage(() -> this.pubSub.getConnectionAsync(node))
			.flatMap((StatefulRedisPubSubConnection<String, String> connection) -> subscribe
					? connection.reactive().ssubscribe(channel) : connection.reactive().sunsubscribe(channel));
	}

	private RedisClusterNode owner(String channel) {
		return this.pubSub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
	}

	@Override
	public void close() {
		this.reconciler.dispose();
	}

}
