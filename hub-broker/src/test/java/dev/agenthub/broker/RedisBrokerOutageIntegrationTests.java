package dev.agenthub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PrivateRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the engine says of a publish while its Redis is gone, with the client options the
 * hub runs with (commands rejected while disconnected):
 * {@link EngineUnavailableException} — nothing was published, a retry is safe — and, once
 * Redis is back, publishes go through again on a new epoch (a Redis without persistence
 * came back empty).
 */
class RedisBrokerOutageIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	/** The command queue of the overload test. */
	static final int QUEUE = 100;

	private final PrivateRedis redis = PrivateRedis.start();

	private final RedisClient client = RedisClient.create(this.redis.url());

	/** The client options the hub runs with: commands rejected while disconnected. */
	@BeforeEach
	void hubOptions() {
		this.client.setOptions(ClientOptions.builder()
			.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
	}

	@AfterEach
	void stop() {
		this.client.shutdown();
		this.redis.close();
	}

	@Test
	void aPublishWhileRedisIsGoneIsRefusedAsNotPublishedAndWorksAgainOnceItIsBack() {
		StatefulRedisConnection<String, String> connection = this.client.connect();
		Broker broker = new RedisBroker(connection, this.client.connectPubSub(), RedisBrokerOptions.defaults());
		String epoch = broker.publish("workspace:o", "tab:output", HubJson.parse("{\"data\":\"1\"}"))
			.block(WAIT)
			.event()
			.epoch();

		this.redis.kill();
		await().atMost(WAIT).until(() -> !connection.isOpen());
		assertThatExceptionOfType(EngineUnavailableException.class).isThrownBy(
				() -> broker.publish("workspace:o", "tab:output", HubJson.parse("{\"data\":\"2\"}")).block(WAIT));

		this.redis.restart();
		Publication again = await().atMost(WAIT)
			.ignoreExceptions()
			.until(() -> broker.publish("workspace:o", "tab:output", HubJson.parse("{\"data\":\"3\"}")).block(WAIT),
					(published) -> published != null);
		assertThat(again.event().epoch()).isNotEqualTo(epoch);
		assertThat(again.offset()).isEqualTo(1);
	}

	/**
	 * A channel whose last listener leaves while Redis is gone (its connections closed
	 * during the outage) is not subscribed again when the client reconnects: before, the
	 * unsubscribe failed, the Redis client kept the channel among those it restores, and
	 * the node received that channel's events from then on with nobody to give them to. A
	 * channel still listened to is restored and delivers.
	 */
	@Test
	void aChannelLeftDuringAnOutageIsNotSubscribedAgainAfterIt() {
		StatefulRedisConnection<String, String> connection = this.client.connect();
		StatefulRedisPubSubConnection<String, String> pubSub = this.client.connectPubSub();
		RedisBroker broker = new RedisBroker(connection, pubSub, RedisBrokerOptions.defaults());
		List<Publication> kept = new CopyOnWriteArrayList<>();
		broker.subscribe("workspace:kept", kept::add).block(WAIT);
		Disposable left = broker.subscribe("workspace:left", (publication) -> {
		}).block(WAIT);

		this.redis.kill();
		await().atMost(WAIT).until(() -> !connection.isOpen() && !pubSub.isOpen());
		left.dispose();
		this.redis.restart();

		await().atMost(WAIT).ignoreExceptions().until(() -> {
			broker.publish("workspace:kept", "tab:output", HubJson.parse("{\"data\":\"k\"}")).block(WAIT);
			return !kept.isEmpty();
		});
		try (RedisClient observer = RedisClient.create(this.redis.url());
				StatefulRedisConnection<String, String> look = observer.connect()) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(look.sync().pubsubChannels())
					.noneMatch((channel) -> channel.contains("workspace:left"))
					.anyMatch((channel) -> channel.contains("workspace:kept")));
		}
		assertThat(broker.subscribedChannels()).isEqualTo(1);
	}

	/**
	 * The node's pub/sub connection dropped while Redis stayed up (here killed by Redis,
	 * as a proxy or a network blip would): an event published meanwhile is in the history
	 * but never reaches the node live, and the channel may stay quiet after it. Once the
	 * connection and its subscriptions are back, each listener is told to catch up, and
	 * the history has what it missed; the subscription delivers again.
	 */
	@Test
	void aListenerIsToldToCatchUpWhenThePubSubConnectionComesBack() {
		StatefulRedisConnection<String, String> connection = this.client.connect();
		RedisBroker broker = new RedisBroker(connection, this.client.connectPubSub(), RedisBrokerOptions.defaults());
		CatchingUpListener listener = new CatchingUpListener();
		broker.subscribe("workspace:quiet", listener).block(WAIT);
		broker.publish("workspace:quiet", "tab:output", HubJson.parse("{\"data\":\"1\"}")).block(WAIT);
		await().atMost(WAIT).until(() -> listener.received.size() == 1);
		assertThat(listener.catchUps).hasValue(0);

		try (RedisClient observer = RedisClient.create(this.redis.url());
				StatefulRedisConnection<String, String> look = observer.connect()) {
			look.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
		}
		await().atMost(WAIT).until(() -> listener.catchUps.get() >= 1);
		await().atMost(WAIT).ignoreExceptions().until(() -> {
			broker.publish("workspace:quiet", "tab:output", HubJson.parse("{\"data\":\"2\"}")).block(WAIT);
			return listener.received.size() >= 2;
		});
	}

	/**
	 * A Redis too slow for its load (here paused): the connection holds at most its queue
	 * of commands not yet answered ({@code hub.redis.request-queue}); a publish past it
	 * is refused at once as not published — safe to try again, as while Redis is down —
	 * and the ones queued are published, in order, once Redis answers.
	 */
	@Test
	void aPublishPastTheCommandQueueIsRefusedAtOnceAsNotPublished() {
		this.client.setOptions(this.client.getOptions().mutate().requestQueueSize(QUEUE).build());
		StatefulRedisConnection<String, String> connection = this.client.connect();
		Broker broker = new RedisBroker(connection, this.client.connectPubSub(), RedisBrokerOptions.defaults());
		broker.publish("workspace:q", "tab:output", HubJson.parse("{\"data\":\"first\"}")).block(WAIT);

		try (RedisClient pauser = RedisClient.create(this.redis.url());
				StatefulRedisConnection<String, String> pause = pauser.connect()) {
			pause.sync().clientPause(2000);
			List<Mono<Publication>> publishes = new ArrayList<>();
			for (int i = 0; i < 3 * QUEUE; i++) {
				publishes
					.add(broker.publish("workspace:q", "tab:output", HubJson.parse("{\"data\":" + i + "}")).cache());
			}
			long started = System.nanoTime();
			List<Throwable> refused = new CopyOnWriteArrayList<>();
			List<Publication> published = new CopyOnWriteArrayList<>();
			Flux.fromIterable(publishes).flatMap((publish) -> publish.doOnNext(published::add).onErrorResume((ex) -> {
				refused.add(ex);
				return Mono.empty();
			}), 3 * QUEUE).blockLast(WAIT);

			assertThat(refused).isNotEmpty()
				.allSatisfy((ex) -> assertThat(ex).isInstanceOf(EngineUnavailableException.class)
					.hasMessageContaining("nothing was published")
					.cause()
					.hasMessageContaining("size exceeded: " + QUEUE));
			assertThat(published).hasSizeLessThanOrEqualTo(QUEUE).hasSize(3 * QUEUE - refused.size());
			// only the queued ones waited for Redis
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
			assertThat(published.stream().map(Publication::offset).sorted().toList())
				.isEqualTo(LongStream.rangeClosed(2, published.size() + 1).boxed().toList());
		}
	}

}
