package dev.agenthub.support.connection;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
 * Clients back off with jitter.
 */
public final class Admission implements WebFilter {

	private final ConnectionServer<?> core;

	private final List<String> paths;

	/**
	 * @param core the ingress's connection core
	 * @param paths the paths of its sockets (raw WebSocket paths and the Socket.IO
	 * prefix)
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
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds()));
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = ("{\"code\":\"unavailable\",\"error\":\"this node is at capacity; retry after "
				+ retryAfterSeconds() + " s\"}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/** Seconds a refused client should wait (1–3, spread so retries do not align). */
	public static long retryAfterSeconds() {
		return 1 + ThreadLocalRandom.current().nextInt(3);
	}

	/**
	 * Whether a request would open a connection: an upgrade, or a new Engine.IO session.
	 */
	private boolean opensConnection(ServerHttpRequest request) {
		String path = request.getPath().value();
		boolean ours = false;
		for (String prefix : this.paths) {
			if (path.equals(prefix) || (prefix.endsWith("/") && path.startsWith(prefix))) {
				ours = true;
				break;
			}
		}
		if (!ours) {
			return false;
		}
		boolean upgrade = "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
		boolean newEngineSession = path.contains("/socket.io/") && request.getQueryParams().getFirst("sid") == null;
		return upgrade && request.getQueryParams().getFirst("sid") == null || newEngineSession;
	}

}
