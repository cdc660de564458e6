package dev.agenthub.gateway;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static dev.agenthub.gateway.TestNodes.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client id's claim lives as long as its connection, and a TTL after it closes: two
 * gateways on one Redis, with a client id TTL of 2 s.
 */
class ClientIdClaimRenewalIntegrationTests {

	static final long TTL_MILLIS = 2000;

	static TestNodes nodes;

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	@BeforeAll
	static void start() {
		nodes = new TestNodes("--hub.gateway.client-id-ttl=" + TTL_MILLIS + "ms");
		one = nodes.gateway();
		two = nodes.gateway();
	}

	@AfterAll
	static void stop() {
		nodes.close();
	}

	/**
	 * The attack: the owner stays connected longer than the claim TTL (a token refreshed
	 * in band allows days); another user then names its id on another gateway. The id
	 * stays the owner's while it is connected, and a TTL from its close.
	 */
	@Test
	void aClientIdStaysItsOwnersWhileConnectedPastTheTtlAndATtlFromTheClose() throws InterruptedException {
		String id = "cr-alice-tab";
		WsTestClient owner = WsTestClient.connect(TestNodes.ws(one, TestTokens.user("cr-alice", "cr-a")),
				Map.of("x-client-id", id));
		assertThat(owner.awaitType("auth").path("data").path("clientId").asString()).isEqualTo(id);
		// three TTLs connected: the claim made at connect alone would have lapsed
		Thread.sleep(3 * TTL_MILLIS);
		try (WsTestClient attacker = WsTestClient.connect(TestNodes.ws(two, TestTokens.user("cr-mallory", "cr-m")),
				Map.of("x-client-id", id))) {
			JsonNode auth = attacker.awaitType("auth").path("data");
			assertThat(auth.path("success").asBoolean()).isTrue();
			assertThat(auth.path("clientId").asString()).isNotEqualTo(id);
			attacker.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"client:" + id + "\"}}");
			JsonNode refused = attacker.await((m) -> m.path("id").asInt() == 1, WAIT);
			assertThat(refused.path("data").path("code").asString()).isEqualTo("forbidden");
		}
		long closing = System.currentTimeMillis();
		owner.close();
		// the close is the id's last use: its claim lapses a TTL after it, not earlier
		var redis = one.getBean(RedisEngine.class).commands();
		String key = nodes.prefix + "client-owner:" + id;
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(
					() -> assertThat(redis.pexpiretime(key).block(WAIT)).isGreaterThanOrEqualTo(closing + TTL_MILLIS));
	}

	/**
	 * The attack: a user names a client id whose owner's claim lapsed (its owner away
	 * longer than the TTL; predictable ids such as "desktop-1" are common) and asks for
	 * the id's history. What was sent to the id before the new claim is not the new
	 * holder's: a replay of {@code client:<id>} from its start holds only what was
	 * published since (before, the former owner's notification came with it).
	 */
	@Test
	void aClientIdTakenAfterItsClaimLapsedReadsNothingSentToItsFormerOwner() throws InterruptedException {
		String id = "cr-dora-desktop";
		Broker broker = one.getBean(Broker.class);
		try (WsTestClient owner = WsTestClient.connect(TestNodes.ws(one, TestTokens.user("cr-dora", "cr-d")),
				Map.of("x-client-id", id))) {
			assertThat(owner.awaitType("auth").path("data").path("clientId").asString()).isEqualTo(id);
		}
		broker.publish("client:" + id, "notification", HubJson.parse("{\"title\":\"dora's reset code 123456\"}"))
			.block(WAIT);
		// the owner stays away past the claim's TTL
		Thread.sleep(TTL_MILLIS + 1500);
		try (WsTestClient taker = WsTestClient.connect(TestNodes.ws(two, TestTokens.user("cr-mallory", "cr-m")),
				Map.of("x-client-id", id))) {
			assertThat(taker.awaitType("auth").path("data").path("clientId").asString()).isEqualTo(id);
			broker.publish("client:" + id, "notification", HubJson.parse("{\"title\":\"for the new holder\"}"))
				.block(WAIT);
			taker.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"client:" + id + "\"}}");
			String epoch = taker.await((m) -> m.path("id").asInt() == 1, WAIT).path("data").path("epoch").asString();
			taker.send("{\"type\":\"subscribe\",\"id\":2,\"data\":{\"channel\":\"client:" + id
					+ "\",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":0}}}");
			taker.await((m) -> m.path("id").asInt() == 2, WAIT);
			JsonNode replayed = taker.await((m) -> "notification".equals(m.path("type").asString()), WAIT);
			assertThat(replayed.path("data").path("title").asString()).isEqualTo("for the new holder");
			Thread.sleep(300);
			assertThat(taker.received()).noneMatch((m) -> m.path("data").path("title").asString().contains("dora"));
		}
	}

}
