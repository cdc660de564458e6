package dev.agenthub.gateway.subscription;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;

import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PrivateRedis;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's pub/sub link to Redis dropped while Redis stayed up (a network blip, a
 * proxy; here Redis kills it): an event published right after reached the channel's
 * history but not the gateway, and the channel then stays quiet. Before, a browser got
 * that event only with the channel's next one — a task's last status could wait for ever;
 * now the gateway catches up from the history as soon as its subscriptions are back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CatchUpIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String PREFIX = RedisFixture.uniquePrefix();

	static final PrivateRedis redis = PrivateRedis.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine(PREFIX).forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.redis.url", redis::url);
		// the least the hub allows: more channels than this catch up at once below
		registry.add("hub.redis.request-queue", () -> "100");
	}

	@AfterAll
	static void stop() {
		redis.close();
	}

	@LocalServerPort
	int port;

	@Test
	void aBrowserGetsAnEventPublishedWhileTheGatewaysLinkWasDownWithoutWaitingForTheNext() {
		RedisClient direct = RedisClient.create(redis.url());
		try (WsTestClient browser = WsTestClient.authenticated(
				"ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=" + TestTokens.user("catch-u", "cq"))) {
			StatefulRedisConnection<String, String> publishing = direct.connect();
			RedisBroker publisher = new RedisBroker(publishing, direct.connectPubSub(),
					RedisBrokerOptions.defaults().withKeyPrefix(PREFIX));
			browser.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"workspace:cq\"}}");
			browser.awaitType("subscribed");
			publisher.publish("workspace:cq", "task:status", HubJson.parse("{\"status\":\"running\"}")).block(WAIT);
			long running = awaitStatus(browser, "running").path("offset").asLong();

			// on one connection, so Redis runs them in this order: the gateway's pub/sub
			// connection is gone when the event is published
			publishing.async().clientKill(KillArgs.Builder.typePubsub());
			publisher.publish("workspace:cq", "task:status", HubJson.parse("{\"status\":\"completed\"}")).block(WAIT);

			// nothing else is published: the gateway must catch up by itself
			JsonNode completed = awaitStatus(browser, "completed");
			assertThat(completed.path("offset").asLong()).isGreaterThan(running);
		}
		finally {
			direct.shutdown();
		}
	}

	/**
	 * Every channel of a gateway catches up when its link comes back: more than the
	 * command queue to Redis holds. Before, each channel read its history at once, the
	 * reads past the queue were refused and those channels stayed behind for good.
	 */
	@Test
	void aGatewayWithMoreChannelsThanItsCommandQueueCatchesUpOnEveryOne() {
		int count = 240;
		String[] workspaces = IntStream.range(0, count).mapToObj((i) -> "cm" + i).toArray(String[]::new);
		RedisClient direct = RedisClient.create(redis.url());
		try (WsTestClient browser = WsTestClient
			.authenticated("ws://127.0.0.1:" + this.port + "/ws?token=" + TestTokens.user("catch-m", workspaces))) {
			Set<String> joined = new HashSet<>();
			while (joined.size() < count) {
				joined.add(browser.awaitType("subscribed").path("data").path("channel").asString());
			}
			StatefulRedisConnection<String, String> publishing = direct.connect();
			RedisBroker publisher = new RedisBroker(publishing, direct.connectPubSub(),
					RedisBrokerOptions.defaults().withKeyPrefix(PREFIX));

			// the link is gone before the first publish (one connection, Redis's order)
			publishing.async().clientKill(KillArgs.Builder.typePubsub());
			Flux.fromArray(workspaces)
				.flatMap((workspace) -> publisher.publish("workspace:" + workspace, "task:status",
						HubJson.parse("{\"status\":\"completed\",\"taskId\":\"t1\"}")), count)
				.blockLast(WAIT);

			Set<String> caughtUp = new HashSet<>();
			while (caughtUp.size() < count) {
				JsonNode event = awaitStatus(browser, "completed");
				assertThat(caughtUp.add(event.path("channel").asString())).as("one event per channel").isTrue();
			}
			assertThat(caughtUp).isEqualTo(joined);
		}
		finally {
			direct.shutdown();
		}
	}

	/**
	 * A channel's first event after its link came back can reach the gateway before the
	 * channel's turn to catch up (they catch up a few at a time); here its catch-up never
	 * comes ({@link LateCatchUp}). Nothing had been handed out on the channel before, so
	 * the gateway had no position of its own and handed that event out as it came: the
	 * event published while the link was down was skipped, and nobody was told.
	 */
	@Test
	void aFirstEventAfterTheLinkCameBackIsPrecededByWhatWasPublishedMeanwhile() {
		RedisClient direct = RedisClient.create(redis.url());
		try (WsTestClient browser = WsTestClient.authenticated("ws://127.0.0.1:" + this.port
				+ "/ws?subscribe=none&token=" + TestTokens.user("catch-l", LateCatchUp.WORKSPACE))) {
			StatefulRedisConnection<String, String> publishing = direct.connect();
			RedisBroker publisher = new RedisBroker(publishing, direct.connectPubSub(),
					RedisBrokerOptions.defaults().withKeyPrefix(PREFIX));
			String channel = "workspace:" + LateCatchUp.WORKSPACE;
			browser.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
			long opened = browser.awaitType("subscribed").path("data").path("offset").asLong();

			publishing.async().clientKill(KillArgs.Builder.typePubsub());
			publisher.publish(channel, "task:status", HubJson.parse("{\"status\":\"running\"}")).block(WAIT);
			// the gateway listens again (the channel's catch-up is held back)
			await().atMost(WAIT).until(() -> !publishing.sync().pubsubChannels().isEmpty());
			publisher.publish(channel, "task:status", HubJson.parse("{\"status\":\"completed\"}")).block(WAIT);

			JsonNode first = browser.await((message) -> "task:status".equals(message.path("type").asString()), WAIT);
			assertThat(first.path("data").path("status").asString()).isEqualTo("running");
			assertThat(first.path("offset").asLong()).isEqualTo(opened + 1);
			assertThat(awaitStatus(browser, "completed").path("offset").asLong()).isEqualTo(opened + 2);
		}
		finally {
			direct.shutdown();
		}
	}

	/** Holds back one channel's catch-up: its read is never made. */
	@TestConfiguration(proxyBeanMethods = false)
	static class LateCatchUp {

		static final String WORKSPACE = "cl";

		@Bean
		static BeanPostProcessor lateCatchUpBroker() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					return (bean instanceof Broker broker) ? late(broker) : bean;
				}
			};
		}

		static Broker late(Broker engine) {
			return new Broker() {
				@Override
				public Mono<Publication> publish(String channel, String type, JsonNode data) {
					return engine.publish(channel, type, data);
				}

				@Override
				public Mono<StreamPosition> position(String channel) {
					return engine.position(channel);
				}

				@Override
				public Mono<History> history(String channel, long since, int limit) {
					return engine.history(channel, since, limit);
				}

				@Override
				public Mono<History> existingHistory(String channel, long since, int limit) {
					return engine.existingHistory(channel, since, limit);
				}

				@Override
				public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
					if (!("workspace:" + WORKSPACE).equals(channel)
							|| !(listener instanceof Broker.CatchUpListener catchingUp)) {
						return engine.subscribe(channel, listener);
					}
					return engine.subscribe(channel, new Broker.CatchUpListener() {
						@Override
						public void accept(Publication publication) {
							catchingUp.accept(publication);
						}

						@Override
						public Mono<Void> catchUp() {
							// told it is behind; its read's turn never comes
							catchingUp.catchUp();
							return Mono.empty();
						}
					});
				}
			};
		}

	}

	private static JsonNode awaitStatus(WsTestClient browser, String status) {
		return browser.await((message) -> "task:status".equals(message.path("type").asString())
				&& status.equals(message.path("data").path("status").asString()), WAIT);
	}

}
