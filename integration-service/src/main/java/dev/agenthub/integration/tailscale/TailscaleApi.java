package dev.agenthub.integration.tailscale;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Tailscale API v2 calls the hub makes, as the spec shapes them: create, get and
 * delete auth keys ({@code /tailnet/{tailnet}/keys}), list devices
 * ({@code /tailnet/{tailnet}/devices}, with server-side filters) and delete one
 * ({@code /device/{id}}). Every call has a time limit; reads and deletes are retried by
 * the {@link RetryPolicy}, key creation is not. A 401 drops a cached OAuth token.
 */
class TailscaleApi {

	private final WebClient web;

	private final TailscaleCredentials credentials;

	private final String tailnet;

	private final Duration timeout;

	private final RetryPolicy retry;

	private final DataSize maxResponseSize;

	TailscaleApi(WebClient web, TailscaleCredentials credentials, String tailnet, Duration timeout, RetryPolicy retry,
			DataSize maxResponseSize) {
		this.web = web;
		this.credentials = credentials;
		this.tailnet = tailnet;
		this.timeout = timeout;
		this.retry = retry;
		this.maxResponseSize = maxResponseSize;
	}

	/**
	 * {@code POST /tailnet/{tailnet}/keys}: never retried blindly, since a lost answer
	 * may mean a key exists. Only a 401 (refused before anything was created) is
	 * repeated, once, with a fresh OAuth token.
	 */
	Mono<JsonNode> createKey(ObjectNode body) {
		String operation = "create auth key";
		Mono<JsonNode> attempt = Mono
			.defer(() -> this.credentials.bearerToken()
				.flatMap((token) -> this.web.post()
					.uri("/api/v2/tailnet/{tailnet}/keys", this.tailnet)
					.headers((headers) -> headers.setBearerAuth(token))
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.bodyValue(HubJson.write(body))
					.exchangeToMono((response) -> readJson(operation, response))
					.timeout(this.timeout)))
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge(operation))
			.doOnError(this::forgetRefusedToken);
		return attempt.onErrorResume((ex) -> unauthorized(ex) && this.credentials.renewable(), (ex) -> attempt);
	}

	/** {@code GET /tailnet/{tailnet}/keys/{keyId}}. */
	Mono<JsonNode> getKey(String keyId) {
		return idempotent("get auth key",
				(token) -> this.web.get()
					.uri("/api/v2/tailnet/{tailnet}/keys/{keyId}", this.tailnet, keyId)
					.headers((headers) -> headers.setBearerAuth(token))
					.accept(MediaType.APPLICATION_JSON)
					.exchangeToMono((response) -> readJson("get auth key", response)));
	}

	/**
	 * {@code DELETE /tailnet/{tailnet}/keys/{keyId}}: {@code false} when already gone.
	 */
	Mono<Boolean> deleteKey(String keyId) {
		return idempotent("delete auth key",
				(token) -> this.web.delete()
					.uri("/api/v2/tailnet/{tailnet}/keys/{keyId}", this.tailnet, keyId)
					.headers((headers) -> headers.setBearerAuth(token))
					.exchangeToMono((response) -> readDeletion("delete auth key", response)));
	}

	/**
	 * {@code GET /tailnet/{tailnet}/devices} with {@code <field>=<value>} filters (exact
	 * matches, AND-ed by Tailscale).
	 */
	Flux<JsonNode> listDevices(Map<String, String> filters) {
		return idempotent("list devices", (token) -> this.web.get().uri((builder) -> {
			UriBuilder uri = builder.path("/api/v2/tailnet/{tailnet}/devices");
			// Values go through URI template expansion, so "tag:x" and the like are
			// encoded.
			filters.keySet().forEach((name) -> uri.queryParam(name, "{" + name + "}"));
			Map<String, Object> variables = new HashMap<>(filters);
			variables.put("tailnet", this.tailnet);
			return uri.build(variables);
		})
			.headers((headers) -> headers.setBearerAuth(token))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> readJson("list devices", response))).flatMapIterable((body) -> {
				List<JsonNode> devices = new ArrayList<>();
				body.path("devices").forEach(devices::add);
				return devices;
			});
	}

	/** {@code DELETE /device/{deviceId}}: {@code false} when already gone. */
	Mono<Boolean> deleteDevice(String deviceId) {
		return idempotent("delete device",
				(token) -> this.web.delete()
					.uri("/api/v2/device/{deviceId}", deviceId)
					.headers((headers) -> headers.setBearerAuth(token))
					.exchangeToMono((response) -> readDeletion("delete device", response)));
	}

	private <T> Mono<T> idempotent(String operation, Function<String, Mono<T>> call) {
		// The time limit is per exchange; fetching a token has its own limit and retries.
		Mono<T> attempt = Mono
			.defer(() -> this.credentials.bearerToken().flatMap((token) -> call.apply(token).timeout(this.timeout)))
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge(operation))
			.doOnError(this::forgetRefusedToken);
		// A refused OAuth token (revoked early, clock skew) is replaced once; safe, the
		// call is idempotent.
		return attempt.onErrorResume((ex) -> unauthorized(ex) && this.credentials.renewable(), (ex) -> attempt)
			.retryWhen(this.retry.forOperation(operation));
	}

	/** Not retried: the same answer would be as large again. */
	private TailscaleApiException tooLarge(String operation) {
		return new TailscaleApiException(operation, 502, "the answer is larger than the hub reads ("
				+ this.maxResponseSize.toKilobytes() + " KB, hub.tailscale.max-response-size)", null, false);
	}

	private void forgetRefusedToken(Throwable failure) {
		if (unauthorized(failure)) {
			this.credentials.invalidate();
		}
	}

	private static boolean unauthorized(Throwable failure) {
		return failure instanceof TailscaleApiException api && api.status() == 401;
	}

	static Mono<JsonNode> readJson(String operation, ClientResponse response) {
		return response.bodyToMono(String.class).defaultIfEmpty("").map((text) -> {
			if (response.statusCode().is2xxSuccessful()) {
				return parse(operation, response.statusCode().value(), text);
			}
			throw failure(operation, response, text);
		});
	}

	private static Mono<Boolean> readDeletion(String operation, ClientResponse response) {
		return response.bodyToMono(String.class).defaultIfEmpty("").map((text) -> {
			if (response.statusCode().is2xxSuccessful()) {
				return true;
			}
			if (response.statusCode().value() == 404) {
				// Already gone is what the caller wanted.
				return false;
			}
			throw failure(operation, response, text);
		});
	}

	private static JsonNode parse(String operation, int status, String text) {
		try {
			return HubJson.parse(text.isEmpty() ? "{}" : text);
		}
		catch (ContractViolation ex) {
			throw new TailscaleApiException(operation, 502, "unreadable answer (status " + status + ")", null);
		}
	}

	private static TailscaleApiException failure(String operation, ClientResponse response, String text) {
		String message = null;
		try {
			JsonNode body = HubJson.parse(text);
			JsonNode field = (body != null) ? body.get("message") : null;
			message = (field != null && field.isString()) ? field.asString() : null;
		}
		catch (ContractViolation ex) {
			// Not the documented {"message": ...} shape: report the status alone.
		}
		Duration retryAfter = RetryPolicy
			.parseRetryAfter(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), ZonedDateTime.now());
		return new TailscaleApiException(operation, response.statusCode().value(), message, retryAfter);
	}

}
