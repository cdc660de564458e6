package dev.agenthub.gateway.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.RawSocketClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A saturated gateway refuses new connections before the upgrade or the Engine.IO
 * handshake, with 503 and {@code Retry-After}, and keeps serving the ones it has.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "hub.gateway.max-connections=2")
@DirtiesContext
class AdmissionIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Test
	void shouldRefuseConnectionsOverCapacityWith503AndRetryAfter() throws Exception {
		String url = "ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=";
		try (WsTestClient first = WsTestClient.authenticated(url + TestTokens.user("adm-a", "adm"));
				WsTestClient second = WsTestClient.authenticated(url + TestTokens.user("adm-b", "adm"))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> RawSocketClient.connect(url + TestTokens.user("adm-c", "adm"), Map.of(), 65536))
				.withMessageContaining("503")
				.withMessageContaining("this node is at capacity");
			// the engine's path without its trailing slash is the same endpoint
			for (String path : List.of("/socket.io/", "/socket.io")) {
				HttpResponse<String> handshake = HttpClient.newHttpClient()
					.send(HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + this.port + path + "?EIO=4&transport=polling"))
						.timeout(WAIT)
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(handshake.statusCode()).as(path).isEqualTo(503);
				assertThat(handshake.headers().firstValue("Retry-After"))
					.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 3));
				assertThat(handshake.body()).contains("unavailable");
			}
			// The connections it holds are served as before.
			first.send("{\"type\":\"ping\",\"id\":1}");
			assertThat(first.await((m) -> m.path("id").asInt() == 1, WAIT).path("type").asString()).isEqualTo("pong");
		}
	}

}
