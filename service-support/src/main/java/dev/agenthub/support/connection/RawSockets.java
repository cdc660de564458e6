package dev.agenthub.support.connection;

import java.net.URI;
import java.util.List;

import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.cors.HubCorsConfiguration;
import dev.agenthub.support.cors.HubCorsProperties;
import dev.agenthub.support.web.ApiError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.web.cors.CorsConfiguration;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The raw WebSocket endpoints of an ingress, served on Reactor Netty ahead of WebFlux: an
 * upgrade to one of their paths never builds the framework's exchange, nor runs its
 * filter chain (Spring Security's among them) and handler mappings — a sixth of the event
 * loops' time while connecting (docs/benchmarks.md, eighth pass). What those gave an
 * upgrade, the route does itself, with the same answers: GET only (405), an upgrade only
 * (400), the service's CORS origins for a cross-origin page (403, as Spring's CORS filter
 * refused it: a browser sends no preflight before a WebSocket), admission (503 with
 * {@code Retry-After}, as {@link Admission}). The token is checked in the protocol by the
 * core, as before ({@code error} then 4001). Any other path goes on to WebFlux.
 */
public final class RawSockets implements NettyRouteProvider {

	private final ConnectionServer<?> core;

	private final List<String> paths;

	private final @Nullable CorsConfiguration origins;

	/**
	 * @param core the ingress's connection core
	 * @param paths the exact paths of its raw WebSocket endpoints
	 * @param cors the service's CORS settings, or {@code null} when CORS is off (any
	 * origin may connect)
	 */
	public RawSockets(ConnectionServer<?> core, List<String> paths, @Nullable HubCorsProperties cors) {
		this.core = core;
		this.paths = List.copyOf(paths);
		this.origins = (cors != null) ? HubCorsConfiguration.corsConfiguration(cors) : null;
	}

	@Override
	public HttpServerRoutes apply(HttpServerRoutes routes) {
		return routes.route(this::matches, this::serve);
	}

	/** Whether a request is for one of the endpoints (its path exactly, any query). */
	boolean matches(HttpServerRequest request) {
		String uri = request.uri();
		for (String path : this.paths) {
			if (uri.startsWith(path) && (uri.length() == path.length() || uri.charAt(path.length()) == '?')) {
				return true;
			}
		}
		return false;
	}

	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		if (!HttpMethod.GET.equals(request.method())) {
			response.header(HttpHeaderNames.ALLOW, "GET");
			return refuse(response, HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_REQUEST,
					request.method() + " is not allowed here: open a WebSocket with GET");
		}
		if (!request.requestHeaders().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
				|| !request.requestHeaders().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
			return refuse(response, HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST,
					"a WebSocket upgrade is expected here");
		}
		String origin = request.requestHeaders().get(HttpHeaderNames.ORIGIN);
		if (origin != null && !allowed(origin, request)) {
			return refuse(response, HttpResponseStatus.FORBIDDEN, ErrorCode.FORBIDDEN,
					"origin " + origin + " is not allowed to connect here");
		}
		if (!this.core.admits()) {
			long retryAfter = Admission.retryAfterSeconds();
			response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfter));
			return refuse(response, HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE,
					Admission.refusal(retryAfter));
		}
		return WebSocketServing.upgrade(this.core, request, response);
	}

	/** A page of the hub's own origin, or of one the CORS settings allow. */
	private boolean allowed(String origin, HttpServerRequest request) {
		return this.origins == null || sameOrigin(origin, request) || this.origins.checkOrigin(origin) != null;
	}

	private static boolean sameOrigin(String origin, HttpServerRequest request) {
		try {
			URI uri = URI.create(origin);
			String scheme = uri.getScheme();
			return scheme != null && scheme.equalsIgnoreCase(request.scheme())
					&& request.hostName().equalsIgnoreCase(uri.getHost())
					&& request.hostPort() == ((uri.getPort() != -1) ? uri.getPort() : defaultPort(scheme));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int defaultPort(String scheme) {
		return ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) ? 443 : 80;
	}

	private static Mono<Void> refuse(HttpServerResponse response, HttpResponseStatus status, ErrorCode code,
			String message) {
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.sendByteArray(Mono.just(ApiError.bytes(code, message)))
			.then();
	}

}
