package dev.agenthub.broadcast.publish;

import java.time.Duration;

import ch.qos.logback.classic.Level;
import dev.agenthub.support.web.ApiExceptionHandler;
import dev.agenthub.testsupport.CapturedLog;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.PrivateRedis;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend publishing while Redis is gone gets 503 {@code unavailable} ("the event bus
 * is unavailable, try again") for each event, and the service logs it once, not once per
 * request (a backend retrying its publishes would fill the log); once Redis is back,
 * publishing works again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PublishOutageIntegrationTests {

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
			.bodyValue("{\"channel\":\"workspace:po\",\"type\":\"workspace:updated\",\"data\":{\"n\":" + n + "}}")
			.exchange();
	}

	@Test
	void aBackendPublishingWhileRedisIsGoneIsToldEachTimeAndTheLogOnce() {
		publish(0).expectStatus().isOk();

		redis.kill();
		try (CapturedLog log = CapturedLog.of(ApiExceptionHandler.class)) {
			for (int i = 1; i <= 20; i++) {
				publish(i).expectStatus()
					.isEqualTo(503)
					.expectBody()
					.jsonPath("$.code")
					.isEqualTo("unavailable")
					.jsonPath("$.error")
					.isEqualTo("the event bus is unavailable, try again");
			}
			assertThat(log.events()).filteredOn((event) -> event.getLevel() == Level.WARN).hasSize(1);
		}

		redis.restart();
		await().atMost(Duration.ofSeconds(40)).until(() -> {
			try {
				publish(21).expectStatus().isOk();
				return true;
			}
			catch (AssertionError ex) {
				return false;
			}
		});
	}

}
