package dev.agenthub.support.web;

import java.nio.charset.StandardCharsets;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The body of every hub API error: {@code {"code":"forbidden","error":"..."}}. */
public final class ApiError {

	private ApiError() {
	}

	/** The error body as JSON. */
	public static ObjectNode body(ErrorCode code, String message) {
		ObjectNode body = HubJson.object();
		body.put("code", code.code());
		body.put("error", message);
		return body;
	}

	/** The error body as JSON bytes (UTF-8), for a response written outside WebFlux. */
	public static byte[] bytes(ErrorCode code, String message) {
		return HubJson.write(body(code, message)).getBytes(StandardCharsets.UTF_8);
	}

	/** Writes the error body to a response whose status is already set. */
	public static Mono<Void> write(ServerHttpResponse response, ErrorCode code, String message) {
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes(code, message))));
	}

}
