package dev.agenthub.broker;

import java.time.Duration;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PrivateRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

	private final PrivateRedis redis = PrivateRedis.start();

	private final RedisClient client = RedisClient.create(this.redis.url());

	@AfterEach
	void stop() {
		this.client.shutdown();
		this.redis.close();
	}

	@Test
	void aPublishWhileRedisIsGoneIsRefusedAsNotPublishedAndWorksAgainOnceItIsBack() {
		this.client.setOptions(ClientOptions.builder()
			.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
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

}
