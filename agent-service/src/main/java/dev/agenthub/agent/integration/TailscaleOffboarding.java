package dev.agenthub.agent.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.ServiceTokenSource;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * Asks integration-service to delete a workspace's ephemeral Tailscale devices
 * ({@code POST /api/tailscale/workspaces/{id}/offboard}, service token) when its agent
 * reports lifecycle {@code off}. Base URL: {@code hub.agent.integration-url}
 * ({@code HUB_AGENT_INTEGRATION_URL}, default {@code http://localhost:8083}). One request
 * per workspace at a time: an agent that reports {@code off} again while its workspace is
 * being offboarded (or flips {@code off}/{@code ready} in a loop) starts no other, so the
 * calls in flight are bounded by the workspaces, not by what agents send.
 * <p>
 * Answers: {@code 503 not_configured} (a hub without Tailscale) is expected and logged at
 * debug. An answer whose {@code failed} lists devices, and a failure that may pass
 * ({@code 503 unavailable}: Tailscale down, rate limiting or slow; another 5xx; no
 * answer), are called again up to {@code hub.agent.offboarding-retries} times with an
 * exponential backoff from {@code hub.agent.offboarding-backoff}, as integration-service
 * asks ("call again; it is idempotent"). What still fails is a warning, at most one every
 * 10 s across workspaces. When the service stops, offboardings still in flight (a retry
 * waiting its backoff) end at once, quietly: their HTTP client is going away with the
 * service, and the devices are ephemeral.
 */
@Component
public class TailscaleOffboarding implements WorkspaceOffboarding, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(TailscaleOffboarding.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	private final int retries;

	private final Duration backoff;

	/**
	 * Failures repeat across workspaces when Tailscale is down: a few lines, not one
	 * each.
	 */
	private final ThrottledWarning failures = new ThrottledWarning(logger, Duration.ofSeconds(10));

	/** Workspaces with a request in flight. */
	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	/** Ends every offboarding in flight when the service stops. */
	private final Sinks.Empty<Void> stopped = Sinks.empty();

	@Autowired
	public TailscaleOffboarding(WebClient.Builder builder, ServiceTokenSource tokens,
			@Value("${hub.agent.integration-url:http://localhost:8083}") String integrationUrl,
			@Value("${hub.agent.offboarding-retries:3}") int retries,
			@Value("${hub.agent.offboarding-backoff:2s}") Duration backoff) {
		this.client = builder.baseUrl(integrationUrl).build();
		this.tokens = tokens;
		this.retries = Math.max(0, retries);
		this.backoff = backoff;
	}

	@Override
	public Mono<Void> offboard(String workspaceId) {
		return Mono.defer(() -> {
			if (!this.inFlight.add(workspaceId)) {
				logger.debug("Workspace {} is being offboarded already", workspaceId);
				return Mono.empty();
			}
			return offboardWithRetries(workspaceId).takeUntilOther(this.stopped.asMono())
				.doFinally((signal) -> this.inFlight.remove(workspaceId));
		});
	}

	@Override
	public void destroy() {
		if (!this.inFlight.isEmpty()) {
			logger.debug("Stopping: offboarding of {} abandoned", this.inFlight);
		}
		this.stopped.tryEmitEmpty();
	}

	private Mono<Void> offboardWithRetries(String workspaceId) {
		return request(workspaceId)
			.retryWhen(Retry.backoff(this.retries, this.backoff)
				.filter(TailscaleOffboarding::worthAnotherCall)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.doOnNext((deleted) -> logger.info("Offboarded workspace {} from Tailscale (devices deleted: {})",
					workspaceId, deleted))
			.then()
			// Fail open: an agent going off must not fail because Tailscale is not set up
			// or unreachable; ephemeral devices also expire on Tailscale's side.
			.onErrorResume((ex) -> {
				if (notConfigured(ex)) {
					logger.debug("Tailscale is not configured; nothing to offboard for {}", workspaceId);
				}
				else if (ex instanceof DevicesLeft left) {
					this.failures.warn("Could not delete Tailscale devices {} of workspace {} after {} calls",
							left.devices, workspaceId, this.retries + 1);
				}
				else {
					this.failures.warn("Could not offboard workspace {} from Tailscale: {}", workspaceId, describe(ex));
				}
				return Mono.empty();
			});
	}

	/**
	 * One call: the devices deleted, or an error ({@link DevicesLeft} when some failed).
	 */
	private Mono<List<String>> request(String workspaceId) {
		return Mono.defer(() -> this.client.post()
			.uri("/api/tailscale/workspaces/{id}/offboard", workspaceId)
			.header("Authorization", "Bearer " + this.tokens.token())
			.retrieve()
			.bodyToMono(String.class)
			.defaultIfEmpty("{}")
			.timeout(TIMEOUT)
			.map((body) -> {
				JsonNode answer = HubJson.parse(body);
				List<String> failed = strings(answer.path("failed"));
				if (!failed.isEmpty()) {
					throw new DevicesLeft(failed);
				}
				return strings(answer.path("deleted"));
			}));
	}

	private static boolean worthAnotherCall(Throwable failure) {
		if (failure instanceof DevicesLeft || failure instanceof TimeoutException
				|| failure instanceof WebClientRequestException) {
			return true;
		}
		return failure instanceof WebClientResponseException response && response.getStatusCode().is5xxServerError()
				&& !notConfigured(response);
	}

	private static boolean notConfigured(Throwable failure) {
		return failure instanceof WebClientResponseException response && response.getStatusCode().value() == 503
				&& ErrorCode.NOT_CONFIGURED.code().equals(code(response));
	}

	private static String code(WebClientResponseException response) {
		try {
			return HubJson.parse(response.getResponseBodyAsString()).path("code").asString(null);
		}
		catch (ContractViolation ex) {
			return null;
		}
	}

	private static String describe(Throwable failure) {
		if (failure instanceof WebClientResponseException response) {
			return response.getStatusCode().value() + " " + response.getResponseBodyAsString();
		}
		return failure.toString();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	/** integration-service answered, but could not delete these devices. */
	private static final class DevicesLeft extends RuntimeException {

		private final List<String> devices;

		DevicesLeft(List<String> devices) {
			super("devices not deleted: " + devices, null, false, false);
			this.devices = devices;
		}

	}

}
