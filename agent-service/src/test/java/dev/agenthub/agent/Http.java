package dev.agenthub.agent;

import java.time.Duration;

import dev.agenthub.contracts.codec.HubJson;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A blocking REST call for tests: status and JSON body. */
record Http(int status, JsonNode body) {

	static Http call(HttpMethod method, String url, String token, String body) {
		WebClient.RequestBodySpec request = WebClient.create()
			.method(method)
			.uri(url)
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json");
		WebClient.RequestHeadersSpec<?> spec = (body != null) ? request.bodyValue(body) : request;
		return spec
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("{}")
				.map((text) -> new Http(response.statusCode().value(), HubJson.parse(text))))
			.switchIfEmpty(Mono.error(new IllegalStateException("no response")))
			.block(Duration.ofSeconds(20));
	}

	static Http get(String url, String token) {
		return call(HttpMethod.GET, url, token, null);
	}

	static Http post(String url, String token, String body) {
		return call(HttpMethod.POST, url, token, body);
	}

}
