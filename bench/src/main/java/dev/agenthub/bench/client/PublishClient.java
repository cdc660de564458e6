package dev.agenthub.bench.client;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The server publish API ({@code POST /api/publish}) over a pooled keep-alive HTTP client
 * with a service token; many requests in flight at once.
 */
public final class PublishClient {

	private final HttpClient http;

	private final String url;

	public PublishClient(String url, String serviceToken, int connections) {
		this.url = url;
		this.http = Net.http(connections)
			.headers((h) -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + serviceToken)
				.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
	}

	/**
	 * Publishes one event.
	 * @param channel the channel
	 * @param type event type
	 * @param dataJson the {@code data} value as JSON
	 * @return completes with whether the hub answered 200
	 */
	public Mono<Boolean> publish(String channel, String type, String dataJson) {
		String body = "{\"channel\":\"" + channel + "\",\"type\":\"" + type + "\",\"data\":" + dataJson + "}";
		return this.http.post()
			.uri(this.url)
			.send(Mono.just(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
			.responseSingle((response, content) -> content.then(Mono.just(response.status().code() == 200)))
			.onErrorReturn(false);
	}

}
