package dev.agenthub.support.connection;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.web.ApiError;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Admission control for an ingress: a node that is saturated (too many connections, or
 * too many still authenticating and opening) refuses new ones before the WebSocket
 * upgrade or the Engine.IO handshake, early and cheaply — HTTP 503 with
 * {@code Retry-After} — instead of accepting them and timing out its engine calls.
 * Clients back off with jitter. This filter guards the Socket.IO endpoints (served by
 * WebFlux); {@link RawSockets} applies the same refusal to raw WebSocket upgrades.
 */
public final class Admission implements WebFilter {

	private final ConnectionServer<?> core;

	private final List<String> paths;

	/**
	 * @param core the ingress's connection core
	 * @param paths the paths of its Socket.IO endpoint (with and without the trailing
	 * slash)
	 */
	public Admission(ConnectionServer<?> core, List<String> paths) {
		this.core = core;
		this.paths = List.copyOf(paths);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!opensConnection(request) || this.core.admits()) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		long retryAfter = retryAfterSeconds();
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		return ApiError.write(response, ErrorCode.UNAVAILABLE, refusal(retryAfter));
	}

	/** What a refused client is told, beside {@code Retry-After}. */
	static String refusal(long retryAfterSeconds) {
		return "this node is at capacity; retry after " + retryAfterSeconds + " s";
	}

	/** Seconds a refused client should wait (1–3, spread so retries do not align). */
	public static long retryAfterSeconds() {
		return 1 + ThreadLocalRandom.current().nextInt(3);
	}

	/**
	 * Whether a request would open a connection: a new Engine.IO session (a handshake,
	 * polling or WebSocket, without a session id; an upgrade of an open session has one).
	 */
	private boolean opensConnection(ServerHttpRequest request) {
		String path = request.getPath().value();
		for (String prefix : this.paths) {
			if (path.equals(prefix) || (prefix.endsWith("/") && path.startsWith(prefix))) {
				return request.getQueryParams().getFirst("sid") == null;
			}
		}
		return false;
	}

}
