package dev.agenthub.support.connection;

import java.util.concurrent.ThreadLocalRandom;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.cors.HubCorsConfiguration.HubCorsFilter;
import dev.agenthub.support.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * The door of an ingress's Socket.IO endpoint, a filter right after the CORS filter.
 * Admission control: a node that is saturated (too many connections, or too many still
 * authenticating and opening) refuses a new Engine.IO session early and cheaply — HTTP
 * 503 with {@code Retry-After} — instead of accepting it and timing out its engine calls;
 * clients back off with jitter ({@link RawSockets} refuses raw upgrades the same way).
 * Every other request of the endpoint goes straight to the engine: not through the rest
 * of the filter chain (Spring Security's header writers, firewall, authorization — and
 * the decoding of any {@code Authorization} header — on every handshake, poll and
 * upgrade, where the endpoint authenticates in its protocol, at CONNECT) nor the handler
 * mappings.
 */
public final class Admission implements WebFilter, Ordered {

	/** After the CORS filter, before Spring Security's ({@code -100}). */
	public static final int ORDER = HubCorsFilter.ORDER + 10;

	private final ConnectionServer<?> core;

	private final String path;

	private final String bare;

	private final WebHandler endpoint;

	/**
	 * @param core the ingress's connection core
	 * @param path the endpoint's path (with its trailing slash; also served without it)
	 * @param endpoint the Socket.IO engine's handler
	 */
	public Admission(ConnectionServer<?> core, String path, WebHandler endpoint) {
		this.core = core;
		this.path = path.endsWith("/") ? path : path + "/";
		this.bare = this.path.substring(0, this.path.length() - 1);
		this.endpoint = endpoint;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String requested = request.getPath().value();
		if (!requested.startsWith(this.path) && !requested.equals(this.bare)) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		// a new Engine.IO session (polling or WebSocket) has no session id yet
		if (request.getQueryParams().getFirst("sid") == null && !this.core.admits()) {
			long retryAfter = retryAfterSeconds();
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
			return ApiError.write(response, ErrorCode.UNAVAILABLE, refusal(retryAfter));
		}
		response.getHeaders().set("X-Content-Type-Options", "nosniff");
		return this.endpoint.handle(exchange);
	}

	/** What a refused client is told, beside {@code Retry-After}. */
	static String refusal(long retryAfterSeconds) {
		return "this node is at capacity; retry after " + retryAfterSeconds + " s";
	}

	/** Seconds a refused client should wait (1–3, spread so retries do not align). */
	public static long retryAfterSeconds() {
		return 1 + ThreadLocalRandom.current().nextInt(3);
	}

}
