package dev.agenthub.broker.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
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
 * master that serves its channel's slot, kept there across what the Redis client does not
 * handle by itself; four times a second ({@link #reconcile()}):
 * <ul>
 * <li><b>a slot changes hands</b> (a replica took over from a dead master, a slot
 * migrated): the client leaves sharded subscriptions with the old node, where they go
 * silent; each channel whose slot has another master (in the client's view of the
 * partitions, which its topology refresh keeps) is subscribed again at the new one;
 * <li><b>a node's connection comes back</b> (the node restarted, the network blipped):
 * the client restores the node's channels in one {@code SSUBSCRIBE}, which Redis refuses
 * ({@code CROSSSLOT}) when they lie in more than one slot, as a node's channels usually
 * do — so the node's channels are subscribed again here, a command per slot;
 * <li><b>an unsubscribe failed</b> (the node was gone): the channel stays with the node's
 * connection, and the client would restore it on reconnecting, bringing events nobody
 * here listens to; it is unsubscribed at that node once its connection is open again.
 * </ul>
 * Messages received on the node connections reach the connection's listeners (node
 * message propagation). It follows the topology until {@linkplain #close() closed}.
 */
final class ShardedSubscriptions implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ShardedSubscriptions.class);

	private static final Duration RECONCILE = Duration.ofMillis(250);

	/** Channels one command names at most. */
	private static final int BATCH = 500;

	/**
	 * Tries (one a tick) after which the channels left at a node that answers but does
	 * not take their unsubscribe are given up: a node gone stops nobody, a node refusing
	 * must not be asked four times a second for ever.
	 */
	private static final int LEAVING_TRIES = 40;

	/** Empty while a subscription is being made. */
	private static final String PENDING = "";

	private final StatefulRedisClusterPubSubConnection<String, String> pubSub;

	/** The node each channel is subscribed at ({@link #PENDING} while it is made). */
	private final Map<String, String> nodeOf = new ConcurrentHashMap<>();

	/** Channels left whose unsubscribe failed: the node they may still be held at. */
	private final Map<String, String> leaving = new ConcurrentHashMap<>();

	/** Tries in a row that a node, connected, failed to unsubscribe channels left. */
	private final Map<String, Integer> leavingTries = new ConcurrentHashMap<>();

	/** The connection of each node subscribed at, watched for reconnections. */
	private final Map<String, StatefulRedisPubSubConnection<String, String>> connections = new ConcurrentHashMap<>();

	/** Nodes whose connection came back and whose channels are to be subscribed again. */
	private final Set<String> reconnected = ConcurrentHashMap.newKeySet();

	/** Whether a failure to restore channels was logged since the last success. */
	private final AtomicBoolean restoreLogged = new AtomicBoolean();

	/** Told of each channel subscribed again at a node (its listeners catch up). */
	private volatile Consumer<String> resubscribed = (channel) -> {
	};

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

	/**
	 * Tells {@code callback} of each channel subscribed again after its subscription was
	 * lost (its node came back, its slot moved): events published in between did not
	 * reach this node.
	 */
	void onResubscribed(Consumer<String> callback) {
		this.resubscribed = callback;
	}

	/**
	 * Unsubscribes a channel; when its node cannot be told (it is gone), the channel is
	 * unsubscribed there once the node's connection is back.
	 */
	Mono<Void> unsubscribe(String channel) {
		String node = this.nodeOf.remove(channel);
		if (node == null || node.isEmpty()) {
			return Mono.empty();
		}
		return onNode(node, List.of(channel), false).doOnError((ex) -> this.leaving.put(channel, node));
	}

	private Mono<Void> reconcile() {
		return Mono.when(moveToNewMasters(), restoreReconnected(), unsubscribeLeft());
	}

	private Mono<Void> moveToNewMasters() {
		List<String> moved = this.nodeOf.entrySet().stream().filter((entry) -> {
			RedisClusterNode owner = owner(entry.getKey());
			return owner != null && !entry.getValue().isEmpty() && !owner.getNodeId().equals(entry.getValue());
		}).map(Map.Entry::getKey).toList();
		if (moved.isEmpty()) {
			return Mono.empty();
		}
		logger.info("Slots changed hands: subscribing {} channels at their new masters", moved.size());
		return Flux.fromIterable(moved)
			.flatMap((channel) -> subscribeAtOwner(channel)
				.then(Mono.fromRunnable(() -> this.resubscribed.accept(channel)))
				.onErrorResume((ex) -> {
					// Tried again on the next tick.
					logger.debug("Could not move the subscription of {} yet: {}", channel, ex.toString());
					return Mono.empty();
				}), 16)
			.then();
	}

	/** Subscribes again, at each node whose connection came back, its channels. */
	private Mono<Void> restoreReconnected() {
		List<String> nodes = this.reconnected.stream().filter(this::connected).toList();
		return Flux.fromIterable(nodes).concatMap((node) -> {
			this.reconnected.remove(node);
			// a channel whose slot moved meanwhile goes to its new master instead
			List<String> served = this.nodeOf.entrySet()
				.stream()
				.filter((entry) -> node.equals(entry.getValue()) && servedBy(node, entry.getKey()))
				.map(Map.Entry::getKey)
				.toList();
			if (!served.isEmpty()) {
				logger.info("Node {} is back: subscribing again to its {} channels", node, served.size());
			}
			return Flux.fromIterable(bySlot(served))
				.concatMap((batch) -> onNode(node, batch, true)
					.then(Mono.fromRunnable(() -> batch.forEach(this.resubscribed))))
				.then(Mono.fromRunnable(() -> this.restoreLogged.set(false)))
				.onErrorResume((ex) -> {
					// tried again on the next tick
					this.reconnected.add(node);
					if (this.restoreLogged.compareAndSet(false, true)) {
						logger.warn("Could not subscribe again to the channels of node {} ({}); trying again", node,
								ex.toString());
					}
					return Mono.empty();
				});
		}).then();
	}

	/** Unsubscribes, at nodes connected again, the channels left while they were gone. */
	private Mono<Void> unsubscribeLeft() {
		Map<String, List<String>> byNode = new TreeMap<>();
		this.leaving.forEach((channel, node) -> {
			String now = this.nodeOf.get(channel);
			if (node.equals(now) || this.pubSub.getPartitions().getPartitionByNodeId(node) == null) {
				// subscribed there again, as it should be; or the node left the cluster,
				// its connection closed with nothing to restore
				this.leaving.remove(channel, node);
			}
			else if (!PENDING.equals(now) && connected(node)) {
				byNode.computeIfAbsent(node, (key) -> new ArrayList<>()).add(channel);
			}
		});
		return Flux.fromIterable(byNode.entrySet())
			.concatMap((entry) -> Flux.fromIterable(bySlot(entry.getValue()))
				.concatMap((batch) -> unsubscribeLeft(entry.getKey(), batch)))
			.then();
	}

	private Mono<Void> unsubscribeLeft(String node, List<String> batch) {
		return onNode(node, batch, false).then(Mono.defer(() -> {
			this.leavingTries.remove(node);
			batch.forEach((channel) -> this.leaving.remove(channel, node));
			// a channel subscribed there again while the unsubscribe was on its way
			List<String> again = batch.stream().filter((channel) -> node.equals(this.nodeOf.get(channel))).toList();
			return again.isEmpty() ? Mono.<Void>empty() : onNode(node, again, true);
		})).onErrorResume((ex) -> {
			if (this.leavingTries.merge(node, 1, Integer::sum) >= LEAVING_TRIES) {
				this.leavingTries.remove(node);
				this.leaving.entrySet().removeIf((entry) -> entry.getValue().equals(node));
				logger.warn("Gave up unsubscribing the channels left at node {} after {} tries: {}", node,
						LEAVING_TRIES, ex.toString());
			}
			else {
				// tried again on the next tick
				logger.debug("Could not unsubscribe {} channels left at node {} yet: {}", batch.size(), node,
						ex.toString());
			}
			return Mono.empty();
		});
	}

	private Mono<Void> subscribeAtOwner(String channel) {
		return Mono.defer(() -> {
			RedisClusterNode owner = owner(channel);
			if (owner == null) {
				return Mono.error(new RedisException("No master serves the slot of " + channel + " now"));
			}
			String node = owner.getNodeId();
			return onNode(node, List.of(channel), true).then(Mono.defer(() -> {
				if (this.nodeOf.computeIfPresent(channel, (key, old) -> node) == null) {
					// Unsubscribed meanwhile.
					return onNode(node, List.of(channel), false);
				}
				return Mono.empty();
			}));
		});
	}

	private Mono<Void> onNode(String node, List<String> channels, boolean subscribe) {
		String[] names = channels.toArray(String[]::new);
		return Mono.fromCompletionStage(() -> this.pubSub.getConnectionAsync(node))
			.flatMap((StatefulRedisPubSubConnection<String, String> connection) -> {
				watch(node, connection);
				return subscribe ? connection.reactive().ssubscribe(names) : connection.reactive().sunsubscribe(names);
			});
	}

	/** Hears of the node connection's reconnections, to restore its channels. */
	private void watch(String node, StatefulRedisPubSubConnection<String, String> connection) {
		if (this.connections.put(node, connection) != connection) {
			connection.addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
					ShardedSubscriptions.this.reconnected.add(node);
				}
			});
		}
	}

	private boolean connected(String node) {
		StatefulRedisPubSubConnection<String, String> connection = this.connections.get(node);
		return connection != null && connection.isOpen();
	}

	private boolean servedBy(String node, String channel) {
		RedisClusterNode owner = owner(channel);
		return owner != null && owner.getNodeId().equals(node);
	}

	private RedisClusterNode owner(String channel) {
		return this.pubSub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
	}

	/** Channels grouped by slot (a sharded command names channels of one slot only). */
	private static List<List<String>> bySlot(List<String> channels) {
		Map<Integer, List<String>> slots = new TreeMap<>();
		channels.forEach((channel) -> slots.computeIfAbsent(SlotHash.getSlot(channel), (slot) -> new ArrayList<>())
			.add(channel));
		List<List<String>> batches = new ArrayList<>();
		for (List<String> slot : slots.values()) {
			for (int from = 0; from < slot.size(); from += BATCH) {
				batches.add(slot.subList(from, Math.min(slot.size(), from + BATCH)));
			}
		}
		return batches;
	}

	@Override
	public void close() {
		this.reconciler.dispose();
	}

}
