package dev.agenthub.gateway.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.contracts.auth.OnBehalfOf;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
 * {@link ConsoleProperties#timeout()}. File uploads are streamed to agent-service for a
 * user ({@link #uploadFile}).
 */
@Component
class HubServices {

	/** The header naming the user the gateway acts for, after it checked its rights. */
	static final String ON_BEHALF_OF = OnBehalfOf.HEADER;

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

	/**
	 * Streams a file upload to agent-service's {@code POST /api/workspaces/{id}/files}
	 * for a user whose right to drive the workspace the caller has checked: with the
	 * gateway's service token, naming the user in {@code X-Hub-On-Behalf-Of}. The body is
	 * passed on as it arrives (never collected) and counted: past
	 * {@link ConsoleProperties#uploadMaxSize()} it fails with {@code too_large}, which
	 * cancels the request to agent-service. agent-service's answer (its {@code 201} or
	 * its refusal with its code) is passed back as it is.
	 */
	Mono<ResponseEntity<JsonNode>> uploadFile(String workspaceId, String user, UploadTarget target,
			HttpHeaders incoming, Flux<DataBuffer> body) {
		long max = this.properties.uploadMaxSize().toBytes();
		AtomicLong read = new AtomicLong();
		Flux<DataBuffer> bounded = body.doOnNext((buffer) -> {
			if (read.addAndGet(buffer.readableByteCount()) > max) {
				DataBufferUtils.release(buffer);
				throw tooLarge(max);
			}
		});
		return this.agents.post()
			.uri((uri) -> uri.path("/api/workspaces/{id}/files")
				.queryParam("path", "{path}")
				.queryParam("mode", "{mode}")
				.queryParamIfPresent("sha256", Optional.ofNullable(target.sha256()).map((s) -> "{sha256}"))
				.build(Map.of("id", workspaceId, "path", target.path(), "mode", target.mode(), "sha256",
						Objects.requireNonNullElse(target.sha256(), ""))))
			.header(HttpHeaders.AUTHORIZATION, bearer())
			.header(ON_BEHALF_OF, user)
			.headers((headers) -> {
				headers.setContentType((incoming.getContentType() != null) ? incoming.getContentType()
						: MediaType.APPLICATION_OCTET_STREAM);
				if (incoming.getContentLength() >= 0) {
					headers.setContentLength(incoming.getContentLength());
				}
			})
			.body(BodyInserters.fromDataBuffers(bounded))
			.exchangeToMono((response) -> response.toEntity(JsonNode.class))
			.timeout(this.properties.uploadTimeout())
			.onErrorMap((ex) -> !(ex instanceof ContractViolation), (ex) -> {
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					if (cause instanceof ContractViolation violation) {
						return violation;
					}
				}
				return new ContractViolation(ErrorCode.UNAVAILABLE,
						"agent-service did not take the upload, try again (" + ex.getMessage() + ")");
			});
	}

	static ContractViolation tooLarge(long max) {
		return new ContractViolation(ErrorCode.TOO_LARGE,
				"files larger than " + max + " bytes are not accepted (hub.console.upload-max-size)");
	}

	/**
	 * Where an upload goes (passed on to agent-service, which checks them).
	 *
	 * @param path the path in the container, absolute or relative to the repository
	 * @param mode the octal mode
	 * @param sha256 the client's SHA-256 of the file, or {@code null}
	 */
	record UploadTarget(String path, String mode, String sha256) {

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
