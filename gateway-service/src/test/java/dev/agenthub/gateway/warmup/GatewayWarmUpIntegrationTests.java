package dev.agenthub.gateway.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.support.auth.WarmUpPass;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway on the Redis engine serves its own loopback clients, raw and Socket.IO,
 * before its {@code warmUp} health turns UP; a made-up pass of the warm-up's shape gets
 * nowhere.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GatewayWarmUpIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final int CLIENTS = 40;

	static final int RESUMES_PER_USER = 3;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.gateway.warm-up.connections", () -> CLIENTS);
		registry.add("hub.gateway.warm-up.concurrency", () -> 4);
		// far fewer than its Socket.IO clients: the warm-up's own user is not counted
		registry.add("hub.gateway.socketio.resumes-per-user", () -> RESUMES_PER_USER);
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	JsonNode health() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		return HubJson.parse(response.body());
	}

	@Test
	void shouldServeEveryWarmUpClientBeforeReportingUp() throws Exception {
		await().atMost(WAIT)
			.until(() -> "UP".equals(health().path("components").path("warmUp").path("status").asString()));
		JsonNode warmUp = health().path("components").path("warmUp");
		assertThat(warmUp.path("details").path("clients").asInt()).isEqualTo(CLIENTS);
		assertThat(warmUp.path("details").path("failed").isMissingNode()).isTrue();
		// Socket.IO clients dropped their transport and came back with pid and offset;
		// one that comes back before its record is written connects afresh. More than one
		// user's share of resume records recovered: the warm-up exercises recovery with
		// all of its clients (before, past the share, none recovered).
		assertThat(warmUp.path("details").path("socketIoRecovered").asInt()).isBetween(RESUMES_PER_USER + 1,
				CLIENTS / 2);
		assertThat(warmUp.path("details").path("tookMillis").asLong()).isNotNegative();
		assertThat(this.broker.position(WarmUpPass.SHARED_CHANNEL).block(WAIT).offset()).isGreaterThanOrEqualTo(20);
		assertThat(this.broker.position(WarmUpPass.channel(WarmUpPass.CHANNELS - 1)).block(WAIT).offset())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void shouldRefuseAMadeUpPassWith4001() {
		// shaped like a pass, signed with a key of the attacker's
		String forged = TestTokens.sign("an-attackers-own-key-0123456789-0123456789", WarmUpPass.SUBJECT,
				List.of("user"), List.of(WarmUpPass.WORKSPACE), null, Duration.ofMinutes(5));
		try (WsTestClient client = WsTestClient.connect("ws://localhost:" + this.port + "/ws?token=" + forged)) {
			assertThat(client.awaitType("auth").path("data").path("success").asBoolean()).isFalse();
			assertThat(client.awaitClose(WAIT)).isEqualTo(4001);
		}
	}

}
