package dev.agenthub.support.cors;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS policy a service applies, for the default and for configured origins.
 */
class HubCorsConfigurationTests {

	static HubCorsProperties origins(String... origins) {
		return new HubCorsProperties(true, List.of(origins), List.of("GET", "POST", "OPTIONS"), List.of("*"),
				List.of("ETag"), Duration.ofHours(1));
	}

	static MockServerWebExchange preflight(HubCorsProperties properties, String origin) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.options("http://hub.test/api/publish")
				.header(HttpHeaders.ORIGIN, origin)
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization"));
		new HubCorsConfiguration().hubCorsFilter(properties).filter(exchange, (ignored) -> Mono.empty()).block();
		return exchange;
	}

	@Test
	void shouldAllowAnyOriginWithoutCredentialsByDefault() {
		MockServerWebExchange exchange = preflight(origins("*"), "https://anything.example");
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo("*");
		assertThat(headers.getAccessControlAllowCredentials()).isFalse();
		assertThat(headers.getAccessControlAllowMethods()).contains(HttpMethod.POST);
		assertThat(headers.getAccessControlMaxAge()).isEqualTo(3600);
	}

	@Test
	void shouldEchoAConfiguredOriginOrPatternAndRefuseOthers() {
		HubCorsProperties properties = origins("https://app.example.com", "https://*.example.org");
		assertThat(preflight(properties, "https://app.example.com").getResponse()
			.getHeaders()
			.getAccessControlAllowOrigin()).isEqualTo("https://app.example.com");
		assertThat(preflight(properties, "https://web.example.org").getResponse()
			.getHeaders()
			.getAccessControlAllowOrigin()).isEqualTo("https://web.example.org");
		MockServerWebExchange refused = preflight(properties, "https://evil.example.net");
		assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(refused.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void shouldRefuseAWebSocketHandshakeFromAnOriginNotListedAndPassOnesWithoutOrigin() {
		HubCorsProperties properties = origins("https://app.example.com");
		MockServerWebExchange foreign = MockServerWebExchange.from(MockServerHttpRequest.get("http://hub.test/ws")
			.header(HttpHeaders.ORIGIN, "https://evil.example.net")
			.header(HttpHeaders.UPGRADE, "websocket"));
		boolean[] passed = { false };
		new HubCorsConfiguration().hubCorsFilter(properties).filter(foreign, (ignored) -> {
			passed[0] = true;
			return Mono.empty();
		}).block();
		assertThat(foreign.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(passed[0]).isFalse();
		MockServerWebExchange agent = MockServerWebExchange
			.from(MockServerHttpRequest.get("http://hub.test/agent/ws").header(HttpHeaders.UPGRADE, "websocket"));
		new HubCorsConfiguration().hubCorsFilter(properties).filter(agent, (ignored) -> {
			passed[0] = true;
			return Mono.empty();
		}).block();
		assertThat(passed[0]).isTrue();
	}

	@Test
	void shouldLetAStarWinOverListedOrigins() {
		assertThat(HubCorsConfiguration.corsConfiguration(origins("https://app.example.com", "*")).getAllowedOrigins())
			.containsExactly("*");
	}

	@Test
	void shouldRunBeforeTheSecurityFilterChain() {
		assertThat(HubCorsConfiguration.HubCorsFilter.ORDER).isLessThan(-100);
	}

}
