package dev.agenthub.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The server publish API ({@code POST /api/publish}, {@code /api/publish/batch}) over a
 * pooled keep-alive HTTP client with a service token; many requests in flight at once.
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
		return post(this.url, event(channel, type, dataJson));
	}

	/**
	 * Publishes events in one request ({@code POST /api/publish/batch}).
	 * @param channels each event's channel
	 * @param type event type of all
	 * @param dataJson each event's {@code data} value as JSON
	 * @return completes with whether the hub answered 200 (all published)
	 */
	public Mono<Boolean> publishBatch(List<String> channels, String type, List<String> dataJson) {
		StringBuilder body = new StringBuilder("{\"events\":[");
		for (int i = 0; i < channels.size(); i++) {
			body.append((i > 0) ? "," : "").append(event(channels.get(i), type, dataJson.get(i)));
		}
		return post(this.url + "/batch", body.append("]}").toString());
	}

	private static String event(String channel, String type, String dataJson) {
		return "{\"channel\":\"" + channel + "\",\"type\":\"" + type + "\",\"data\":" + dataJson + "}";
	}

	private Mono<Boolean> post(String uri, String body) {
		return this.http.post()
			.uri(uri)
			.send(Mono.just(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
			.responseSingle((response, content) -> content.then(Mono.just(response.status().code() == 200)))
			.onErrorReturn(false);
	}

}
