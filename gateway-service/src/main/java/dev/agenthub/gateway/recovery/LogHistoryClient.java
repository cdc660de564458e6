package dev.agenthub.gateway.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reads a channel's durable log from broadcast-service ({@code GET
 * /api/channels/{channel}/events}), page by page, for recovery beyond the engine's
 * history window.
 */
public class LogHistoryClient {

	private static final int PAGE = 2_000;

	/** A page of events can be larger than WebClient's default 256 KiB buffer. */
	public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final Duration timeout;

	private final long maxBytes;

	public LogHistoryClient(WebClient.Builder builder, GatewayProperties properties, ServiceTokenSource tokens) {
		this.client = builder.clone()
			.baseUrl(properties.historyUrl())
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES))
			.build();
		this.tokens = tokens;
		this.timeout = properties.historyTimeout();
		this.maxBytes = properties.recoveryMaxBytes().toBytes();
	}

	/**
	 * Events of a channel's epoch with offsets in {@code (since, until]}, in order. Each
	 * subscription reads the log afresh (recovery re-reads a log that is still behind).
	 * @return the events, or fewer when the log does not hold them all; an error
	 * ({@link TooLarge}) as soon as they pass {@code hub.gateway.recovery-max-bytes}
	 */
	public Mono<List<Publication>> range(String channel, String epoch, long since, long until) {
		return Mono.defer(() -> {
			List<Publication> out = new ArrayList<>();
			return page(channel, epoch, since, until, out, new long[1]).thenReturn(out);
		});
	}

	private Mono<Void> page(String channel, String epoch, long since, long until, List<Publication> out, long[] bytes) {
		int limit = (int) Math.min(PAGE, until - since);
		if (limit <= 0) {
			return Mono.empty();
		}
		return this.client.get()
			.uri((uri) -> uri.path("/api/channels/{channel}/events")
				.queryParam("epoch", epoch)
				.queryParam("since", since)
				.queryParam("limit", limit)
				.build(channel))
			.header("Authorization", "Bearer " + this.tokens.token())
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(this.timeout)
			.flatMap((page) -> {
				long last = since;
				for (JsonNode node : page.path("events")) {
					HubEvent event = HubJson.mapper().treeToValue(node, HubEvent.class);
					if (event.offset() > until) {
						break;
					}
					String json = HubJson.encodeEvent(event);
					bytes[0] += json.length();
					if (bytes[0] > this.maxBytes) {
						return Mono.error(new TooLarge(channel, this.maxBytes));
					}
					out.add(new Publication(event, json));
					last = event.offset();
				}
				boolean more = page.path("hasMore").asBoolean(false) && last > since && last < until;
				return more ? page(channel, epoch, last, until, out, bytes) : Mono.empty();
			});
	}

	/** What a recovery would read from the log is over its byte limit. */
	public static final class TooLarge extends RuntimeException {

		TooLarge(String channel, long maxBytes) {
			super("the events " + channel + " missed are over " + maxBytes + " bytes", null, false, false);
		}

	}

}
