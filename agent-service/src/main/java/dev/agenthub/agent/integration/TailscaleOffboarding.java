package dev.agenthub.agent.integration;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.support.auth.ServiceTokenSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Asks integration-service to delete a workspace's ephemeral Tailscale devices
 * ({@code POST /api/tailscale/workspaces/{id}/offboard}, service token) when its agent
 * reports lifecycle {@code off}. Base URL: {@code hub.agent.integration-url}
 * ({@code HUB_AGENT_INTEGRATION_URL}, default {@code http://localhost:8083}). One request
 * per workspace at a time: an agent that reports {@code off} again while its workspace is
 * being offboarded (or flips {@code off}/{@code ready} in a loop) starts no other, so the
 * calls in flight are bounded by the workspaces, not by what agents send.
 */
@Component
public class TailscaleOffboarding implements WorkspaceOffboarding {

	private static final Logger logger = LoggerFactory.getLogger(TailscaleOffboarding.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	public TailscaleOffboarding(WebClient.Builder builder, ServiceTokenSource tokens,
			@Value("${hub.agent.integration-url:http://localhost:8083}") String integrationUrl) {
		this.client = builder.baseUrl(integrationUrl).build();
		this.tokens = tokens;
	}

	/** Workspaces with a request in flight. */
	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	@Override
	public Mono<Void> offboard(String workspaceId) {
		return Mono.defer(() -> {
			if (!this.inFlight.add(workspaceId)) {
				logger.debug("Workspace {} is being offboarded already", workspaceId);
				return Mono.empty();
			}
			return request(workspaceId).doFinally((signal) -> this.inFlight.remove(workspaceId));
		});
	}

	private Mono<Void> request(String workspaceId) {
		return this.client.post()
			.uri("/api/tailscale/workspaces/{id}/offboard", workspaceId)
			.header("Authorization", "Bearer " + this.tokens.token())
			.retrieve()
			.toBodilessEntity()
			.timeout(TIMEOUT)
			.doOnNext((response) -> logger.info("Offboarded workspace {} from Tailscale", workspaceId))
			.then()
			// Fail open: an agent going off must not fail because Tailscale is not set up
			// or unreachable; ephemeral devices also expire on Tailscale's side.
			.onErrorResume((ex) -> {
				if (ex instanceof WebClientResponseException response && response.getStatusCode().value() == 503) {
					logger.debug("Tailscale is not configured; nothing to offboard for {}", workspaceId);
				}
				else {
					logger.warn("Could not offboard workspace {} from Tailscale: {}", workspaceId, ex.toString());
				}
				return Mono.empty();
			});
	}

}
