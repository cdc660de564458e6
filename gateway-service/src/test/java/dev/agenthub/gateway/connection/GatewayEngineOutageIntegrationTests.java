package dev.agenthub.gateway.connection;

import java.time.Duration;

import ch.qos.logback.classic.Level;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.CapturedLog;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PrivateRedis;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser connects while the gateway's Redis is gone: it is told why in words (the
 * event bus is unavailable, reconnect) and closed with 1011; a connected browser's
 * subscribes are answered alike and it stays. The gateway logs a line without a stack
 * trace for the first of a crowd of either, not one per connect or message — before, the
 * errors named a Java class and each logged a stack trace, so a crowd reconnecting during
 * an outage filled the log. Once Redis is back, connecting works again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class GatewayEngineOutageIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** Connects while Redis is gone. */
	static final int CROWD = 20;

	static final PrivateRedis redis = PrivateRedis.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		registry.add("hub.redis.url", redis::url);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@LocalServerPort
	int port;

	@Test
	void aCrowdConnectingWhileRedisIsGoneIsToldWhyAndLogsOneLine() {
		String url = "ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=" + TestTokens.user("outage-u", "ow");
		WsTestClient.authenticated(url).close();
		WsTestClient open = WsTestClient.authenticated(url);

		redis.kill();
		try (CapturedLog log = CapturedLog.of(ConnectionServer.class.getPackageName())) {
			// an open connection's subscribes are answered in words, each, and it stays
			for (int i = 0; i < CROWD; i++) {
				open.send("{\"type\":\"subscribe\",\"id\":\"s" + i + "\",\"data\":{\"channel\":\"workspace:ow\"}}");
				String id = "s" + i;
				JsonNode error = open.await((message) -> "error".equals(message.path("type").asString())
						&& id.equals(message.path("id").asString()));
				assertThat(error.path("data").path("code").asString()).isEqualTo("unavailable");
				assertThat(error.path("data").path("error").asString())
					.isEqualTo("subscribe failed: the event bus is unavailable, try again");
			}
			assertThat(open.isClosed()).isFalse();
			for (int i = 0; i < CROWD; i++) {
				try (WsTestClient refused = WsTestClient.connect(url)) {
					JsonNode error = refused.awaitType("error");
					assertThat(error.path("data").path("code").asString()).isEqualTo("unavailable");
					assertThat(error.path("data").path("error").asString())
						.isEqualTo("could not open the connection: the event bus is unavailable, reconnect");
					assertThat(refused.awaitClose(WAIT)).isEqualTo(1011);
				}
			}
			// every one of the crowd told, the log told once of each kind (the next line,
			// ten seconds on, says how many were left out)
			assertThat(log.events()).filteredOn((event) -> event.getLevel() == Level.WARN)
				.hasSize(2)
				.allSatisfy((event) -> assertThat(event.getThrowableProxy()).as("no stack trace").isNull())
				.allSatisfy(
						(event) -> assertThat(event.getFormattedMessage()).contains("the event bus is unavailable"));
		}
		finally {
			open.close();
		}

		redis.restart();
		await().atMost(Duration.ofSeconds(40)).until(() -> connects(url));
	}

	@Test
	void aConnectLeftUnansweredByAStalledRedisDoesNotKeepOthersOutOnceItAnswers() {
		// nobody on the node holds broadcast, so this connect's SUBSCRIBEs are the node's
		String url = "ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=" + TestTokens.user("stall-u", "sw");
		redis.pause();
		try (WsTestClient refused = WsTestClient.connect(url)) {
			JsonNode error = refused.awaitType("error");
			assertThat(error.path("data").path("error").asString())
				.isEqualTo("could not open the connection: the event bus is unavailable, reconnect");
			assertThat(refused.awaitClose(WAIT)).isEqualTo(1011);
		}
		finally {
			redis.resume();
		}
		// before, the channel whose SUBSCRIBE timed out stayed on the node with its
		// failure, held by the connection that never opened: every connect failed on
		await().atMost(Duration.ofSeconds(20)).until(() -> connects(url));
	}

	private static boolean connects(String url) {
		try {
			WsTestClient.authenticated(url).close();
			return true;
		}
		catch (AssertionError | RuntimeException ex) {
			return false;
		}
	}

}
