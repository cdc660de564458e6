package dev.agenthub.gateway.access;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.jspecify.annotations.Nullable;
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
 * Any user can make it look names up (a subscription to a made-up {@code repository:}
 * name is one), so the memory is bounded without letting one user's names flush
 * everyone's: owners and absences (no owner, refusals, failures) are kept apart, each up
 * to {@link #MAX_CACHED}, and past that the least recently used of the same kind goes.
 * Made-up names only ever push out other absences, never a known owner. Lookups of one
 * name at the same time share one request.
 * <p>
 * Fails closed: when agent-service is slow or unreachable the owner is unknown and
 * {@link dev.agenthub.support.auth.ChannelAccess} refuses the subscription. Letting an
 * unverified user read another tenant's agent output would be worse than a refused
 * subscription the client can retry.
 */
public class AgentServiceChannelOwners implements dev.agenthub.support.auth.ChannelOwners {

	private static final Logger logger = LoggerFactory.getLogger(AgentServiceChannelOwners.class);

	/**
	 * Most owners remembered, and most absences (past either, the least recently used of
	 * its kind is forgotten).
	 */
	static final int MAX_CACHED = 10_000;

	/** How long a failed lookup is remembered (refused) before it is asked again. */
	static final Duration FAILURE_TTL = Duration.ofSeconds(5);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final Duration timeout;

	private final long ttlNanos;

	/** Names with an owner (guarded by itself). */
	private final Map<String, Cached> owners = lru();

	/** Names without one: no owner, refused, failed (guarded by itself). */
	private final Map<String, Cached> absent = lru();

	/** Lookups under way, by name: asked again meanwhile, they are shared. */
	private final Map<String, Mono<Optional<String>>> asking = new ConcurrentHashMap<>();

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

	private static Map<String, Cached> lru() {
		return new LinkedHashMap<>(256, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
				return size() > MAX_CACHED;
			}

		};
	}

	@Override
	public Mono<String> workspaceOf(Channel channel) {
		String name = channel.name();
		Cached cached = cached(name);
		if (cached != null && System.nanoTime() - cached.at < (cached.failed ? this.failureTtlNanos : this.ttlNanos)) {
			return Mono.justOrEmpty(cached.owner);
		}
		return this.asking.computeIfAbsent(name, this::shared).flatMap(Mono::justOrEmpty);
	}

	private @Nullable Cached cached(String name) {
		synchronized (this.owners) {
			Cached owner = this.owners.get(name);
			if (owner != null) {
				return owner;
			}
		}
		synchronized (this.absent) {
			return this.absent.get(name);
		}
	}

	/** One lookup of a name, shared by whoever asks until it is answered. */
	private Mono<Optional<String>> shared(String name) {
		AtomicReference<Mono<Optional<String>>> self = new AtomicReference<>();
		Mono<Optional<String>> lookup = lookup(name).doFinally((signal) -> this.asking.remove(name, self.get()))
			.cache();
		self.set(lookup);
		return lookup;
	}

	private Mono<Optional<String>> lookup(String name) {
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
			});
	}

	/** Remembers an answer; the previous one of the name, if any. */
	private @Nullable Cached remember(String channel, Optional<String> owner, boolean failed) {
		Cached answer = new Cached(owner, System.nanoTime(), failed);
		Cached previous;
		Map<String, Cached> kept = owner.isPresent() ? this.owners : this.absent;
		Map<String, Cached> other = owner.isPresent() ? this.absent : this.owners;
		synchronized (other) {
			previous = other.remove(channel);
		}
		synchronized (kept) {
			Cached replaced = kept.put(channel, answer);
			return (replaced != null) ? replaced : previous;
		}
	}

	private record Cached(Optional<String> owner, long at, boolean failed) {

	}

}
