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
 * Asks agent-service which workspace owns an {@code agent:}, {@code task:} (or other
 * workspace-owned) channel: {@code GET /api/channels/{channel}/owner} →
 * {@code {workspaceId}} with the gateway's service token. Answers (and "no owner", a 404)
 * are remembered for {@code hub.gateway.owner-cache-ttl}; failures are not remembered.
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

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final Duration timeout;

	private final long ttlNanos;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	public AgentServiceChannelOwners(WebClient.Builder builder, GatewayProperties properties,
			ServiceTokenSource tokens) {
		this.client = builder.clone().baseUrl(properties.agentServiceUrl()).build();
		this.tokens = tokens;
		this.timeout = properties.ownerTimeout();
		this.ttlNanos = properties.ownerCacheTtl().toNanos();
	}

	@Override
	public Mono<String> workspaceOf(Channel channel) {
		String name = channel.name();
		Cached cached = this.cache.get(name);
		if (cached != null && System.nanoTime() - cached.at < this.ttlNanos) {
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
				if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
					return response.releaseBody().thenReturn(Optional.<String>empty());
				}
				return response.releaseBody()
					.then(Mono.error(new IllegalStateException("agent-service answered " + response.statusCode())));
			})
			.timeout(this.timeout)
			.doOnNext((owner) -> remember(name, owner))
			.onErrorResume((ex) -> {
				logger.warn("Owner of {} unknown, refusing access: {}", name, ex.toString());
				return Mono.just(Optional.empty());
			})
			.flatMap(Mono::justOrEmpty);
	}

	private void remember(String channel, Optional<String> owner) {
		if (this.cache.size() >= MAX_CACHED) {
			this.cache.clear();
		}
		this.cache.put(channel, new Cached(owner, System.nanoTime()));
	}

	private record Cached(Optional<String> owner, long at) {

	}

}
