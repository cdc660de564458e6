package dev.agenthub.gateway.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.recovery.LogHistoryClient;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reads one page of changes from broadcast-service's {@code GET /api/sync} with the
 * gateway's service token. A 400 there (e.g. a cursor it never handed out) becomes a
 * {@code bad_request} for the client; anything else is an infrastructure failure.
 */
public class SyncClient {

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final Duration timeout;

	public SyncClient(WebClient.Builder builder, GatewayProperties properties, ServiceTokenSource tokens) {
		this.client = builder.clone()
			.baseUrl(properties.historyUrl())
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(LogHistoryClient.MAX_RESPONSE_BYTES))
			.build();
		this.tokens = tokens;
		this.timeout = properties.historyTimeout();
	}

	/**
	 * One page of changes.
	 * @param since changes after this time
	 * @param channels channel names, prefixes ending in {@code :}, or {@code *}
	 * @param cursor the previous page's cursor, or {@code null}
	 * @param limit page size
	 * @return {@code {changes, syncTimestamp, hasMore, cursor?}}
	 */
	public Mono<JsonNode> page(Instant since, List<String> channels, String cursor, int limit) {
		return page(since, channels, cursor, limit, null, 0);
	}

	/**
	 * One page of events ({@code kind} {@code null} or {@code events}) or of seed 003's
	 * entity changes ({@code changes}: {@code {changes: [{table, recordId, action, data,
	 * timestamp, channel, event}], syncTimestamp, hasMore, cursor?}}).
	 * @param since changes after this time
	 * @param channels channel names, prefixes ending in {@code :}, or {@code *}
	 * @param cursor the previous page's cursor, or {@code null}
	 * @param limit page size
	 * @param kind {@code events} (default) or {@code changes}
	 * @param maxBytes most bytes of event data in the page (the first event whatever its
	 * size), or 0 for broadcast-service's own bound
	 * @return the page
	 */
	public Mono<JsonNode> page(Instant since, List<String> channels, String cursor, int limit, String kind,
			long maxBytes) {
		return this.client.get().uri((uri) -> {
			uri.path("/api/sync")
				.queryParam("since", since.toString())
				.queryParam("channels", String.join(",", channels))
				.queryParam("limit", limit);
			if (cursor != null) {
				uri.queryParam("cursor", cursor);
			}
			if (kind != null) {
				uri.queryParam("kind", kind);
			}
			if (maxBytes > 0) {
				uri.queryParam("maxBytes", maxBytes);
			}
			return uri.build();
		}).header("Authorization", "Bearer " + this.tokens.token()).exchangeToMono((response) -> {
			if (response.statusCode().is2xxSuccessful()) {
				return response.bodyToMono(JsonNode.class);
			}
			if (response.statusCode().value() == ErrorCode.BAD_REQUEST.httpStatus()) {
				return response.bodyToMono(JsonNode.class)
					.defaultIfEmpty(dev.agenthub.contracts.codec.HubJson.object())
					.flatMap((body) -> Mono.error(ContractViolation
						.badRequest("sync_request: " + body.path("error").asString("rejected by the log"))));
			}
			return response.releaseBody()
				.then(Mono.error(new IllegalStateException("the event log answered " + response.statusCode())));
		}).timeout(this.timeout);
	}

}
