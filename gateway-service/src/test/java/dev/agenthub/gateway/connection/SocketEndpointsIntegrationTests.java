package dev.agenthub.gateway.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.RawSocketClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The HTTP side of the socket endpoints. Raw WebSocket upgrades are served on Reactor
 * Netty ahead of WebFlux, with the answers WebFlux gave them: GET only, upgrades only,
 * the CORS origins, admission. The Socket.IO endpoint goes through WebFlux's CORS filter
 * but not the security chain (it authenticates in the protocol).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "hub.cors.allowed-origins=https://app.example.test")
@DirtiesContext
class SocketEndpointsIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	List<String> seenByWebFlux;

	@TestConfiguration
	static class Recording {

		@Bean
		List<String> seenByWebFlux() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter recordingFilter(List<String> seenByWebFlux) {
			return (exchange, chain) -> {
				seenByWebFlux.add(exchange.getRequest().getPath().value());
				return chain.filter(exchange);
			};
		}

	}

	private String url(String path, String user) {
		return "ws://127.0.0.1:" + this.port + path + "?subscribe=none&token=" + TestTokens.user(user, "rs");
	}

	private static String firstMessage(RawSocketClient client) {
		return client.nextText(WAIT);
	}

	@Test
	void shouldServeRawUpgradesWithoutWebFluxAndSocketIoThroughIt() throws Exception {
		this.seenByWebFlux.clear();
		try (RawSocketClient raw = RawSocketClient.connect(url("/ws", "rs-a"), Map.of(), 65536);
				RawSocketClient flat = RawSocketClient.connect(url("/api/ws", "rs-b"), Map.of(), 65536)) {
			assertThat(firstMessage(raw)).contains("\"auth\"");
			assertThat(firstMessage(flat)).contains("auth");
		}
		HttpResponse<String> polling = send(HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling")));
		assertThat(polling.statusCode()).isEqualTo(200);
		assertThat(this.seenByWebFlux).as("WebFlux saw the Socket.IO handshake and no raw upgrade")
			.containsExactly("/socket.io/");
	}

	@Test
	void shouldRefuseAnUpgradeFromAPageOfAnOriginNotAllowed() {
		assertThatIllegalStateException().isThrownBy(
				() -> RawSocketClient.connect(url("/ws", "rs-c"), Map.of("Origin", "https://evil.example.test"), 65536))
			.withMessageContaining("403")
			.withMessageContaining("forbidden");
		assertThatIllegalStateException()
			.isThrownBy(() -> RawSocketClient.connect(url("/ws", "rs-c"),
					Map.of("Origin", "http://127.0.0.1:" + (this.port + 1)), 65536))
			.withMessageContaining("403");
	}

	@Test
	void shouldAcceptAnUpgradeFromAnAllowedOriginOrTheHubsOwn() {
		for (String origin : List.of("https://app.example.test", "http://127.0.0.1:" + this.port)) {
			try (RawSocketClient client = RawSocketClient.connect(url("/ws", "rs-d"), Map.of("Origin", origin),
					65536)) {
				assertThat(firstMessage(client)).as(origin).contains("\"auth\"");
			}
		}
	}

	@Test
	void shouldServeTheSocketIoEndpointAheadOfTheSecurityChain() throws Exception {
		// the chain decoded an Authorization header on every request of the endpoint
		// (handshake, CONNECT, polls, upgrade) and answered a bad one with 401; the
		// endpoint authenticates at CONNECT
		for (String path : List.of("/socket.io/", "/socket.io")) {
			HttpResponse<String> handshake = send(HttpRequest.newBuilder(uri(path + "?EIO=4&transport=polling"))
				.header("Authorization", "Bearer not-a-token"));
			assertThat(handshake.statusCode()).as(path).isEqualTo(200);
			assertThat(handshake.body()).as(path).startsWith("0{").contains("\"sid\"");
			assertThat(handshake.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		}
		// the API keeps its chain
		assertThat(send(HttpRequest.newBuilder(uri("/api/presence")).header("Authorization", "Bearer not-a-token"))
			.statusCode()).isEqualTo(401);
	}

	@Test
	void shouldKeepTheCorsOriginsOnTheSocketIoEndpoint() throws Exception {
		HttpResponse<String> foreign = send(HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling"))
			.header("Origin", "https://evil.example.test"));
		assertThat(foreign.statusCode()).isEqualTo(403);
		HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling"))
			.header("Origin", "https://app.example.test"));
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.test");
	}

	@Test
	void shouldCheckABearerTokenOfTheUpgradeInTheProtocol() {
		// as the catalogue says of every auth failure: the reply, then 4001 (the HTTP
		// security chain used to answer a bad header with a bare 401 instead)
		String plain = "ws://127.0.0.1:" + this.port + "/ws?subscribe=none";
		try (RawSocketClient good = RawSocketClient.connect(plain,
				Map.of("Authorization", "Bearer " + TestTokens.user("rs-e", "rs")), 65536)) {
			assertThat(firstMessage(good)).contains("\"success\":true");
		}
		try (RawSocketClient bad = RawSocketClient.connect(plain, Map.of("Authorization", "Bearer not-a-token"),
				65536)) {
			assertThat(firstMessage(bad)).contains("\"success\":false");
			assertThat(bad.awaitClose(WAIT)).isEqualTo(4001);
		}
	}

	@Test
	void shouldAnswerOtherMethodsAndPlainRequestsAsErrors() throws Exception {
		HttpResponse<String> post = send(
				HttpRequest.newBuilder(uri("/ws")).POST(HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("Allow")).hasValue("GET");
		assertThat(post.body()).contains("bad_request");
		HttpResponse<String> plain = send(HttpRequest.newBuilder(uri("/ws?token=x")));
		assertThat(plain.statusCode()).isEqualTo(400);
		assertThat(plain.body()).contains("a WebSocket upgrade is expected here");
		// only the exact path is the socket's: anything below it is WebFlux's (404)
		assertThat(send(HttpRequest.newBuilder(uri("/ws/other"))).statusCode()).isEqualTo(404);
	}

	private URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.port + pathAndQuery);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
	}

}
