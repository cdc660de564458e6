package dev.agenthub.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.RedisClusterFixture;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master of a Redis Cluster killed with SIGKILL while a channel on it is published to:
 * its replica takes over, publishing resumes, live delivery resumes, and an offset of an
 * epoch never names two different events (a write the dead master acknowledged but never
 * replicated would otherwise be silently replaced under the same epoch).
 */
class RedisClusterFailoverIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(RedisClusterFailoverIntegrationTests.class);

	static final Duration WAIT = Duration.ofSeconds(60);

	RedisClusterFixture.Cluster cluster;

	RedisClusterClient client;

	// A cluster per test: each kills one of its masters.
	@BeforeEach
	void start() {
		this.cluster = RedisClusterFixture.startPrivate();
		this.client = RedisClusterClient.create(this.cluster.uris());
		this.client.setOptions(ClusterClientOptions.builder()
			.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enablePeriodicRefresh(Duration.ofSeconds(1))
				.enableAllAdaptiveRefreshTriggers()
				.build())
			.build());
	}

	@AfterEach
	void stop() {
		this.client.shutdown();
		this.cluster.close();
	}

	@Test
	void shouldKeepANodeBusSubscriptionAcrossAFailover() {
		RedisEngine engine = RedisEngine.of(this.client, this.client.connect());
		String channel = "fo:agent:node:n1";
		List<String> received = new CopyOnWriteArrayList<>();
		StatefulRedisPubSubConnection<String, String> pubSub = engine.connectPubSub();
		pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void smessage(String name, String message) {
				received.add(message);
			}
		});
		Disposable subscription = engine.subscribe(pubSub, channel).block(WAIT);
		assertThat(engine.publish(channel, "before").block(WAIT)).isOne();
		await().atMost(WAIT).until(() -> received.contains("before"));
		this.cluster.kill(this.cluster.masterOf(SlotHash.getSlot(channel)));
		// Once the replica took over, messages reach the subscriber again.
		await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				return engine.publish(channel, "after").block(Duration.ofSeconds(2)) == 1L;
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
		await().atMost(WAIT).until(() -> received.contains("after"));
		subscription.dispose();
		pubSub.close();
	}

	@Test
	void shouldResumePublishingAndDeliveryAfterAMasterDiesWithoutReusingAnOffset() throws Exception {
		StatefulRedisClusterConnection<String, String> connection = this.client.connect();
		RedisBrokerOptions options = new RedisBrokerOptions("fo:", 1000, Duration.ofMinutes(10), Duration.ofMinutes(20),
				100_000, 3);
		RedisBroker broker = new RedisBroker(connection, this.client.connectPubSub(), options);
		String channel = "workspace:failover";
		int victim = this.cluster.masterOf(SlotHash.getSlot(options.metaKey(channel)));
		List<Publication> received = new CopyOnWriteArrayList<>();
		Disposable registration = broker.subscribe(channel, received::add).block(WAIT);
		List<Publication> acknowledged = new CopyOnWriteArrayList<>();
		AtomicBoolean killed = new AtomicBoolean();
		long[] failures = { 0 };
		long[] killedAt = { 0 };
		long[] resumedAt = { 0 };
		String firstEpoch = broker.position(channel).block(WAIT).epoch();
		long[] deliveredAgainAt = { 0 };
		// Publishes until events of the channel's new epoch arrive live again (delivery
		// is
		// at most once: events published before the subscription moved are not delivered
		// live), at most 2,000 events.
		Thread publisher = new Thread(() -> {
			for (int i = 1; acknowledged.size() < 2000; i++) {
				if (killed.get() && received.stream().anyMatch((p) -> !p.event().epoch().equals(firstEpoch))) {
					deliveredAgainAt[0] = System.nanoTime();
					break;
				}
				try {
					Publication publication = broker
						.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
						.block(Duration.ofSeconds(5));
					acknowledged.add(publication);
					if (killed.get() && resumedAt[0] == 0) {
						resumedAt[0] = System.nanoTime();
					}
					if (acknowledged.size() == 200 && killed.compareAndSet(false, true)) {
						killedAt[0] = System.nanoTime();
						this.cluster.kill(victim);
					}
					sleep(5);
				}
				catch (RuntimeException ex) {
					failures[0]++;
					sleep(50);
				}
			}
		});
		publisher.start();
		publisher.join(WAIT.toMillis());
		assertThat(resumedAt[0]).as("publishing resumed after the failover").isPositive();
		assertThat(deliveredAgainAt[0]).as("live delivery resumed after the failover").isPositive();
		Publication last = acknowledged.get(acknowledged.size() - 1);
		await().atMost(WAIT).until(() -> received.stream().anyMatch((p) -> p.json().equals(last.json())));
		logger.info(
				"Failover: publishing resumed {} ms and live delivery {} ms after the kill, {} failed publishes, "
						+ "{} acknowledged, {} delivered live, epochs {}",
				(resumedAt[0] - killedAt[0]) / 1_000_000, (deliveredAgainAt[0] - killedAt[0]) / 1_000_000, failures[0],
				acknowledged.size(), received.size(),
				acknowledged.stream().map((p) -> p.event().epoch()).distinct().toList());
		// The replica that took over may lack acknowledged writes: the channel moved to a
		// new epoch, so subscribers resync instead of trusting offsets.
		assertThat(last.event().epoch()).isNotEqualTo(acknowledged.get(0).event().epoch());
		// No (epoch, offset) names two different events, among everything acknowledged
		// or delivered.
		Map<String, String> byPosition = new HashMap<>();
		for (Publication publication : concat(acknowledged, received)) {
			String position = publication.event().epoch() + "/" + publication.offset();
			String data = publication.event().data().get("data").asString();
			String before = byPosition.putIfAbsent(position, data);
			assertThat(before == null || before.equals(data)).as("offset %s reused", position).isTrue();
		}
		registration.dispose();
		connection.close();
	}

	/**
	 * A channel's slot moved to another master (resharding, as {@code redis-cli --cluster
	 * reshard} does it): its keys moved whole, so it keeps its epoch — offsets go on, its
	 * history reads across the move, a subscriber loses nothing — where it got a new one
	 * before (every subscriber of the moved slots told {@code recovered: false}, to
	 * refetch its state). A failover still gives a new epoch
	 * ({@link #shouldResumePublishingAndDeliveryAfterAMasterDiesWithoutReusingAnOffset}).
	 */
	@Test
	void aChannelWhoseSlotMovesToAnotherShardKeepsItsEpoch() {
		publishAcrossAMove((slot, from) -> this.cluster.migrateSlot(slot,
				this.cluster.masters().stream().filter((port) -> port != from).findFirst().orElseThrow()));
	}

	/**
	 * The same when the whole master is emptied into another (scaling the cluster down):
	 * the emptied master becomes a replica of the one that took its slots, so the writer
	 * recorded in the channel's meta is now of the new master's shard — a master that was
	 * never promoted holds nothing a dead master wrote, so the epoch stays.
	 */
	@Test
	void aChannelKeepsItsEpochWhenItsMasterIsEmptiedIntoAnother() {
		publishAcrossAMove((slot, from) -> this.cluster.reshardAll(from,
				this.cluster.masters().stream().filter((port) -> port != from).findFirst().orElseThrow()));
	}

	/** Publishes three events, moves the channel's slot, publishes across the move. */
	private void publishAcrossAMove(Move move) {

		StatefulRedisClusterConnection<String, String> connection = this.client.connect();
		RedisBrokerOptions options = new RedisBrokerOptions("mv:", 1000, Duration.ofMinutes(10), Duration.ofMinutes(20),
				100_000, 16);
		RedisBroker broker = new RedisBroker(connection, this.client.connectPubSub(), options);
		String channel = "workspace:moving";
		CatchingUpListener listener = new CatchingUpListener();
		List<Publication> received = listener.received;
		broker.subscribe(channel, listener).block(WAIT);
		String epoch = broker.publish(channel, "tab:output", HubJson.parse("{\"data\":\"1\"}"))
			.block(WAIT)
			.event()
			.epoch();
		for (int i = 2; i <= 3; i++) {
			broker.publish(channel, "tab:output", HubJson.parse("{\"data\":\"" + i + "\"}")).block(WAIT);
		}
		int slot = SlotHash.getSlot(options.metaKey(channel));
		move.slot(slot, this.cluster.masterOf(slot));

		Publication moved = broker.publish(channel, "tab:output", HubJson.parse("{\"data\":\"4\"}")).block(WAIT);
		assertThat(moved.event().epoch()).isEqualTo(epoch);
		assertThat(moved.offset()).isEqualTo(4);
		History history = broker.history(channel, 0, 100).block(WAIT);
		assertThat(history.position().epoch()).isEqualTo(epoch);
		assertThat(history.events()).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L);
		// live delivery follows the slot once the client sees its new owner
		await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
			broker.publish(channel, "tab:output", HubJson.parse("{\"data\":\"later\"}")).block(WAIT);
			return received.stream().anyMatch((p) -> p.offset() > 4 && p.event().epoch().equals(epoch));
		});
		assertThat(received).allMatch((p) -> p.event().epoch().equals(epoch));
		// the node subscribed again at the new master: its listener was told to catch up
		assertThat(listener.catchUps.get()).isPositive();
		connection.close();
	}

	/**
	 * A master restarted (a crash, a blip of its network) while its channels are listened
	 * to, in several slots as a node's channels usually are: they deliver again (the
	 * client restores a node's channels in one {@code SSUBSCRIBE}, which Redis refuses
	 * across slots: they went silent for good), and one left while the node was gone
	 * stays left.
	 */
	@Test
	void aRestartedMastersChannelsInSeveralSlotsDeliverAgain() {
		restartAMasterLeavingOneChannel(3, false);
	}

	/**
	 * The same with the node's channels in one slot, which the client restores by itself:
	 * the one left while the node was gone (its unsubscribe failed) is not restored with
	 * them (it stayed subscribed for good, bringing the node events nobody listened to).
	 */
	@Test
	void aChannelLeftWhileItsMasterWasGoneIsNotSubscribedThereAgain() {
		restartAMasterLeavingOneChannel(2, true);
	}

	/**
	 * Kills a master with {@code count} channels, leaves the last, restarts the master.
	 */
	private void restartAMasterLeavingOneChannel(int count, boolean oneSlot) {
		StatefulRedisClusterConnection<String, String> connection = this.client.connect();
		RedisBrokerOptions options = new RedisBrokerOptions("rs:", 1000, Duration.ofMinutes(10), Duration.ofMinutes(20),
				100_000, 16);
		RedisBroker broker = new RedisBroker(connection, this.client.connectPubSub(), options);
		int firstSlot = SlotHash.getSlot(options.metaKey("workspace:r-0"));
		int victim = this.cluster.masterOf(firstSlot);
		List<String> channels = new java.util.ArrayList<>();
		java.util.Set<Integer> slots = new java.util.HashSet<>();
		for (int i = 0; channels.size() < count; i++) {
			String channel = "workspace:r-" + i;
			int slot = SlotHash.getSlot(options.metaKey(channel));
			if (oneSlot ? slot == firstSlot : (this.cluster.masterOf(slot) == victim && slots.add(slot))) {
				channels.add(channel);
			}
		}
		Map<String, List<Publication>> received = new HashMap<>();
		Map<String, CatchingUpListener> listeners = new HashMap<>();
		Map<String, Disposable> registrations = new HashMap<>();
		for (String channel : channels) {
			CatchingUpListener listener = new CatchingUpListener();
			listeners.put(channel, listener);
			received.put(channel, listener.received);
			registrations.put(channel, broker.subscribe(channel, listener).block(WAIT));
		}
		String left = channels.get(count - 1);

		this.cluster.kill(victim);
		// the client sees the connection close at once: the unsubscribe is refused
		sleep(300);
		registrations.get(left).dispose();
		this.cluster.restart(victim);
		this.cluster.awaitHealthy();

		for (String channel : channels.subList(0, count - 1)) {
			await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
				broker.publish(channel, "tab:output", HubJson.parse("{\"data\":\"again\"}"))
					.block(Duration.ofSeconds(2));
				return !received.get(channel).isEmpty();
			});
		}
		String leftPubSub = options.metaKey(left).replace(":ch:" + left + ":meta", ":pub:" + left);
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(shardSubscribers(leftPubSub)).isZero());
		assertThat(received.get(left)).isEmpty();
		assertThat(broker.subscribedChannels()).isEqualTo(count - 1);
		// subscribed again at the node once back: told to catch up
		for (String channel : channels.subList(0, count - 1)) {
			assertThat(listeners.get(channel).catchUps.get()).as(channel).isPositive();
		}
		connection.close();
	}

	/** Subscribers of a shard channel, over every node of the cluster. */
	private long shardSubscribers(String shardChannel) {
		long subscribers = 0;
		for (io.lettuce.core.RedisURI uri : this.cluster.uris()) {
			io.lettuce.core.RedisClient node = io.lettuce.core.RedisClient.create(uri);
			try (var look = node.connect()) {
				subscribers += look.sync().pubsubShardNumsub(shardChannel).getOrDefault(shardChannel, 0L);
			}
			finally {
				node.shutdown();
			}
		}
		return subscribers;
	}

	/** Moves a slot away from the master at {@code from}. */
	private interface Move {

		void slot(int slot, int from);

	}

	private static List<Publication> concat(List<Publication> a, List<Publication> b) {
		List<Publication> all = new java.util.ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
