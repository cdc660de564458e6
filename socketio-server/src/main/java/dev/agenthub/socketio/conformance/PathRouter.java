package dev.agenthub.socketio.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * Routes requests by exact path (with or without the trailing slash) to handlers; a
 * stand-alone server's stand-in for a WebFlux handler mapping.
 */
public final class PathRouter implements WebHandler {

	private final Map<String, WebHandler> routes = new LinkedHashMap<>();

	public PathRouter route(String path, WebHandler handler) {
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		this.routes.put(trimmed, handler);
		this.routes.put(trimmed + "/", handler);
		return this;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		WebHandler handler = this.routes.get(exchange.getRequest().getPath().value());
		if (handler == null) {
			exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
			return exchange.getResponse().setComplete();
		}
		return handler.handle(exchange);
	}

}
