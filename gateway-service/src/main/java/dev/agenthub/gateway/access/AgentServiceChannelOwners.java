package dev.agenthub.gateway.access;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Asks agent-service which workspace owns an {@code agent:}, {@code task:},
 * {@code repository:} or {@code conversation:} channel: {@code GET
 * /api/channels/{channel}/owner} → {@code {workspaceId}} with the gateway's service
 * token. Answers, "no owner" (404) and other refusals (4xx) are remembered for
 * {@code hub.gateway.owner-cache-ttl}; failures (5xx, timeouts) for at most
 * {@link #FAILURE_TTL}. A failing lookup is logged at WARN once per channel until one
 * succeeds, so a client retrying a refused subscription costs neither one HTTP call nor
 * one WARN line per attempt.
 * <p>
 * Fails closed: when agent-service is slow or unreachable the owner is unknown and
 * {@link dev.agenthub.support.auth.ChannelAccess} refuses the subscription. Letting an
 * unverified user read another tenant's agent output would be worse than a refused
 * subscription the client can retry.
 */
public class AgentServiceChannelOwners implements dev.agenthub.support.auth.ChannelOwners {

	private static final Logger logger = LoggerFactory.getLogger(AgentServiceChannelOwners.class);

	/**
	 * Bound of the cache; past it the cache starts over (owners are cheap to ask again).
	 */
	private static final int MAX_CACHED = 10_000;

	/** How long a failed lookup is remembered (refused) before it is asked again. */
	static final Duration FAILURE_TTL = Duration.ofSeconds(5);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final Duration timeout;

	private final long ttlNanos;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	private final long failureTtlNanos;

	public AgentServiceChannelOwners(WebClient.Builder builder, GatewayProperties properties,
			ServiceTokenSource tokens) {
		this(builder.clone().baseUrl(properties.agentServiceUrl()).build(), tokens, properties.ownerTimeout(),
				properties.ownerCacheTtl());
	}

	AgentServiceChannelOwners(WebClient client, ServiceTokenSource tokens, Duration timeout, Duration ttl) {
		this.client = client;
		this.tokens = tokens;
		this.timeout = timeout;
		this.ttlNanos = ttl.toNanos();
		this.failureTtlNanos = Math.min(ttl.toNanos(), FAILURE_TTL.toNanos());
	}

	@Override
	public Mono<String> workspaceOf(Channel channel) {
		String name = channel.name();
		Cached cached = this.cache.get(name);
		if (cached != null && System.nanoTime() - cached.at < (cached.failed ? this.failureTtlNanos : this.ttlNanos)) {
			return Mono.justOrEmpty(cached.owner);
		}
		return this.client.get()
			.uri("/api/channels/{channel}/owner", name)
			.header("Authorization", "Bearer " + this.tokens.token())
			.exchangeToMono((response) -> {
				if (response.statusCode().is2xxSuccessful()) {
					return response.bodyToMono(JsonNode.class)
						.map((body) -> Optional.ofNullable(body.path("workspaceId").asString(null)));
				}
				if (response.statusCode().is4xxClientError()) {
					// 404: no owner; other 4xx: agent-service refuses to say. Either way
					// an answer, not a failure: only admins and services read it.
					if (response.statusCode().value() != HttpStatus.NOT_FOUND.value()) {
						logger.debug("Owner of {} refused by agent-service: {}", name, response.statusCode());
					}
					return response.releaseBody().thenReturn(Optional.<String>empty());
				}
				return response.releaseBody()
					.then(Mono.error(new IllegalStateException("agent-service answered " + response.statusCode())));
			})
			.timeout(this.timeout)
			.doOnNext((owner) -> remember(name, owner, false))
			.onErrorResume((ex) -> {
				Cached previous = remember(name, Optional.empty(), true);
				if (previous == null || !previous.failed) {
					logger.warn("Owner of {} unknown, refusing access (asked again in {} s): {}", name,
							Duration.ofNanos(this.failureTtlNanos).toSeconds(), ex.toString());
				}
				else {
					logger.debug("Owner of {} still unknown: {}", name, ex.toString());
				}
				return Mono.just(Optional.empty());
			})
			.flatMap(Mono::justOrEmpty);
	}

	private Cached remember(String channel, Optional<String> owner, boolean failed) {
		if (this.cache.size() >= MAX_CACHED) {
			this.cache.clear();
		}
		return this.cache.put(channel, new Cached(owner, System.nanoTime(), failed));
	}

	private record Cached(Optional<String> owner, long at, boolean failed) {

	}

}
