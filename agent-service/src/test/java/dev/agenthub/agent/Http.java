package dev.agenthub.agent;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A blocking REST call for tests: status and JSON body. */
record Http(int status, JsonNode body) {

	static Http call(HttpMethod method, String url, String token, String body) {
		return call(method, url, token, body, Map.of());
	}

	/** A call with more headers. */
	static Http call(HttpMethod method, String url, String token, String body, Map<String, String> headers) {
		return call(WebClient.create().method(method).uri(url), token, body, headers);
	}

	/** A call to a URI sent as it is (what is percent-encoded in it stays so). */
	static Http call(HttpMethod method, URI uri, String token, String body) {
		return call(WebClient.create().method(method).uri(uri), token, body, Map.of());
	}

	private static Http call(WebClient.RequestBodySpec request, String token, String body,
			Map<String, String> headers) {
		request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
		headers.forEach(request::header);
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
