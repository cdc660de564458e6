package dev.agenthub.broadcast.publish;

import java.time.Duration;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.PrivateRedis;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/**
 * A publish that Redis took but answered too late (a stalled Redis) is not answered "try
 * again": it may have been published, and was here once Redis went on, so a backend that
 * tried again published it twice. It gets 503 {@code unavailable} saying so.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PublishTimeoutIntegrationTests {

	static final PrivateRedis redis = PrivateRedis.start();

	static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

	static final String SERVICE = TestTokens.service("backend");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.redis.url", redis::url);
		HubTestProperties.postgres(DATABASE).forEach((key, value) -> registry.add(key, () -> value));
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@LocalServerPort
	int port;

	WebTestClient.ResponseSpec publish(int n) {
		return TestHttp.client(this.port, Duration.ofSeconds(10))
			.post()
			.uri("/api/publish")
			.header("Authorization", "Bearer " + SERVICE)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"channel\":\"workspace:pt\",\"type\":\"workspace:updated\",\"data\":{\"n\":" + n + "}}")
			.exchange();
	}

	@Test
	void aPublishRedisTookButAnsweredTooLateIsNotAnsweredTryAgain() {
		long before = publish(0).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("offset")
			.asLong();

		redis.pause();
		try {
			publish(1).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("unavailable")
				.jsonPath("$.error")
				.isEqualTo("the event bus did not answer in time; it may have done what was asked, "
						+ "so check before trying again");
		}
		finally {
			redis.resume();
		}
		// Redis published it once it went on
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> publish(2).expectStatus().isOk().expectBody().jsonPath("$.offset").isEqualTo(before + 2));
	}

}
