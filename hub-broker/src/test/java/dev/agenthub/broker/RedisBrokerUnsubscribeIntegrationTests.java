package dev.agenthub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crowd leaving at once — every connection of a gateway closing, each with channels of
 * its own — costs a few {@code UNSUBSCRIBE} commands, not one per channel: 2,000 channels
 * were 2,000 commands before (10,000 of them filled the client's command queue in a
 * reconnect storm). A channel subscribed again while its unsubscribe waits stays
 * subscribed and delivers.
 * <p>
 * Redis is paused ({@code CLIENT PAUSE}) while the crowd leaves, so the first
 * {@code UNSUBSCRIBE} stays in flight until all have left and the count does not depend
 * on how fast this machine disposes compared with a round trip (unpaused, a loaded CI
 * machine saw 34 commands where a quiet one sees 4): one for the first channel, then
 * batches of at most {@value #BATCH}.
 */
class RedisBrokerUnsubscribeIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final int CHANNELS = 2000;

	/** Channels one {@code UNSUBSCRIBE} names at most ({@code PubSubChannels}). */
	static final int BATCH = 500;

	/**
	 * Longer than disposing {@value #CHANNELS} subscriptions takes on a loaded machine.
	 */
	static final Duration PAUSE = Duration.ofSeconds(2);

	private final PrivateRedis redis = PrivateRedis.start();

	private final RedisClient client = RedisClient.create(this.redis.url());

	@AfterEach
	void stop() {
		this.client.shutdown();
		this.redis.close();
	}

	@Test
	void aCrowdLeavingAtOnceIsUnsubscribedInAFewCommands() {
		RedisBroker broker = new RedisBroker(this.client.connect(), this.client.connectPubSub(),
				RedisBrokerOptions.defaults());
		List<Disposable> subscriptions = Flux.range(0, CHANNELS)
			.flatMap((i) -> broker.subscribe("workspace:crowd-" + i, (publication) -> {
			}), 64)
			.collectList()
			.block(WAIT);
		try (StatefulRedisConnection<String, String> look = this.client.connect()) {
			assertThat(look.sync().pubsubNumsub("hub:pub:workspace:crowd-0").get("hub:pub:workspace:crowd-0"))
				.isEqualTo(1);
			look.sync().configResetstat();

			List<Publication> again = new ArrayList<>();
			look.sync().clientPause(PAUSE.toMillis());
			subscriptions.forEach(Disposable::dispose);
			// one comes back at once: it must stay subscribed
			broker.subscribe("workspace:crowd-7", again::add).block(WAIT);

			await().atMost(WAIT).until(() -> look.sync().pubsubChannels("hub:pub:workspace:crowd-*").size() == 1);
			assertThat(look.sync().pubsubChannels("hub:pub:workspace:crowd-*"))
				.containsExactly("hub:pub:workspace:crowd-7");
			assertThat(unsubscribeCalls(look.sync().info("commandstats"))).isBetween(1L,
					1L + (CHANNELS - 1 + BATCH - 1) / BATCH);
			broker.publish("workspace:crowd-7", "tab:output", HubJson.parse("{\"data\":\"still\"}")).block(WAIT);
			await().atMost(WAIT).until(() -> again.size() == 1);
			assertThat(broker.subscribedChannels()).isEqualTo(1);
		}
	}

	/** {@code cmdstat_unsubscribe:calls=N,…} of {@code INFO commandstats}. */
	private static long unsubscribeCalls(String commandStats) {
		for (String line : commandStats.split("\r?\n")) {
			if (line.startsWith("cmdstat_unsubscribe:calls=")) {
				String calls = line.substring("cmdstat_unsubscribe:calls=".length());
				return Long.parseLong(calls.substring(0, calls.indexOf(',')));
			}
		}
		return 0;
	}

}
