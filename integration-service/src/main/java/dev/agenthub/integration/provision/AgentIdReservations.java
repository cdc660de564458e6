package dev.agenthub.integration.provision;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.ServiceTokenSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Reserves a sidecar's agent id for its workspace at agent-service before the sidecar
 * exists ({@code PUT /api/channels/agent:{id}/owner {"workspaceId"}}, service token), so
 * that no other workspace's agent can claim {@code agent:{id}} first by naming that id in
 * an AI agent's event — provisioned ids are predictable ({@code agent-<workspace>}).
 */
class AgentIdReservations {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	AgentIdReservations(WebClient client, ServiceTokenSource tokens) {
		this.client = client;
		this.tokens = tokens;
	}

	/**
	 * Reserves an agent id.
	 * @param agentId the id
	 * @param workspace the workspace it is for
	 * @return {@code true} when the id is the workspace's (reserved now or before),
	 * {@code false} when it belongs to another workspace; a {@code bad_request} error
	 * when agent-service refuses the request for good (400, 422), an {@code unavailable}
	 * one when it cannot say
	 */
	Mono<Boolean> reserve(String agentId, String workspace) {
		return this.client.put()
			.uri("/api/channels/{channel}/owner", "agent:" + agentId)
			.header("Authorization", "Bearer " + this.tokens.token())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("workspaceId", workspace))
			.retrieve()
			.toBodilessEntity()
			.timeout(TIMEOUT)
			.thenReturn(true)
			.onErrorResume(WebClientResponseException.Conflict.class, (ex) -> Mono.just(false))
			// A refusal of the request itself is for good: asking again later gives the
			// same answer, so it is not "unavailable".
			.onErrorMap((ex) -> ex instanceof WebClientResponseException response && refusedForGood(response),
					(ex) -> ContractViolation
						.badRequest("could not provision workspace " + workspace + ": agent-service refused agent id "
								+ agentId + ": " + reason((WebClientResponseException) ex)))
			.onErrorMap((ex) -> !(ex instanceof ContractViolation),
					(ex) -> new ContractViolation(ErrorCode.UNAVAILABLE, "could not provision workspace " + workspace
							+ ": agent-service did not reserve agent id " + agentId + " (" + describe(ex) + ")"));
	}

	private static boolean refusedForGood(WebClientResponseException response) {
		int status = response.getStatusCode().value();
		return status == 400 || status == 422;
	}

	/** agent-service's {@code error} text, else its status. */
	private static String reason(WebClientResponseException response) {
		try {
			JsonNode body = HubJson.parse(response.getResponseBodyAsString());
			JsonNode error = (body != null) ? body.get("error") : null;
			if (error != null && error.isString()) {
				return error.asString();
			}
		}
		catch (ContractViolation ex) {
			// not the hub's error shape: the status says enough
		}
		return "status " + response.getStatusCode().value();
	}

	private static String describe(Throwable ex) {
		if (ex instanceof WebClientResponseException response) {
			return response.getStatusCode().value() + " " + response.getResponseBodyAsString();
		}
		return (ex instanceof TimeoutException) ? "no answer in " + TIMEOUT.toSeconds() + " s"
				: ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
