package dev.agenthub.gateway.console;

import java.util.List;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What the console shows from other services, asked with the gateway's service token:
 * agents (agent-service {@code /api/agents}, {@code /api/workspaces/{id}/agent}),
 * Tailscale devices and CDP shim releases (integration-service). Each call is bounded by
 * {@link ConsoleProperties#timeout()}.
 */
@Component
class HubServices {

	private final WebClient agents;

	private final WebClient integrations;

	private final ServiceTokenSource tokens;

	private final ConsoleProperties properties;

	HubServices(WebClient.Builder builder, GatewayProperties gateway, ConsoleProperties properties,
			ServiceTokenSource tokens) {
		this.agents = builder.clone().baseUrl(gateway.agentServiceUrl()).build();
		this.integrations = builder.clone().baseUrl(properties.integrationUrl()).build();
		this.tokens = tokens;
		this.properties = properties;
	}

	/** Every agent (at most {@link ConsoleProperties#maxRows()}). */
	Mono<List<JsonNode>> agents() {
		return this.agents.get()
			.uri((uri) -> uri.path("/api/agents").queryParam("limit", this.properties.maxRows()).build())
			.header(HttpHeaders.AUTHORIZATION, bearer())
			.retrieve()
			.bodyToFlux(JsonNode.class)
			.collectList()
			.timeout(this.properties.timeout());
	}

	/** A workspace's agent, or empty when none has registered. */
	Mono<JsonNode> agentOf(String workspaceId) {
		return this.agents.get()
			.uri("/api/workspaces/{id}/agent", workspaceId)
			.header(HttpHeaders.AUTHORIZATION, bearer())
			.exchangeToMono((response) -> {
				if (response.statusCode().value() == 404) {
					return response.releaseBody().then(Mono.<JsonNode>empty());
				}
				return response.statusCode().is2xxSuccessful() ? response.bodyToMono(JsonNode.class)
						: response.<JsonNode>createError();
			})
			.timeout(this.properties.timeout());
	}

	/** Tailscale devices ({@code {"devices": [...]}}). */
	Mono<JsonNode> tailscaleDevices() {
		return get("/api/tailscale/devices");
	}

	/** CDP shim releases ({@code {"latest", "releases": [...]}}). */
	Mono<JsonNode> shimReleases() {
		return get("/api/cdp-shim/releases");
	}

	/**
	 * Streams an upload of a CDP shim release to integration-service as it arrives
	 * (nothing is held in memory), and answers with its reply.
	 */
	Mono<ResponseEntity<JsonNode>> uploadShim(HttpHeaders incoming, Flux<DataBuffer> body, String version) {
		return this.integrations.post()
			.uri((uri) -> uri.path("/api/cdp-shim/releases")
				.queryParamIfPresent("version", java.util.Optional.ofNullable(version))
				.build())
			.header(HttpHeaders.AUTHORIZATION, bearer())
			.headers((headers) -> {
				headers.setContentType(incoming.getContentType());
				if (incoming.getContentLength() >= 0) {
					headers.setContentLength(incoming.getContentLength());
				}
			})
			.body(BodyInserters.fromDataBuffers(body))
			.exchangeToMono((response) -> response.toEntity(JsonNode.class))
			.onErrorMap((ex) -> !(ex instanceof ContractViolation), (ex) -> new ContractViolation(ErrorCode.UNAVAILABLE,
					"integration-service is not reachable, try again (" + ex.getMessage() + ")"));
	}

	private Mono<JsonNode> get(String path) {
		return this.integrations.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, bearer())
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(this.properties.timeout());
	}

	private String bearer() {
		return "Bearer " + this.tokens.token();
	}

}
