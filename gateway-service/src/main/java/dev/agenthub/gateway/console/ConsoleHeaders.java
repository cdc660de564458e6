package dev.agenthub.gateway.console;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Security headers of the console's pages. The Content-Security-Policy allows scripts
 * only from the gateway's own origin (no inline script, no eval, nothing from a CDN),
 * connections only to it (Socket.IO over HTTP and WebSocket), and no framing.
 * {@code style-src} allows inline styles because xterm.js sizes its terminal rows and
 * themes them with generated style elements; styles cannot run code.
 */
final class ConsoleHeaders implements WebFilter {

	static final String POLICY = String.join("; ", "default-src 'self'", "script-src 'self'",
			"style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
			"object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (path.equals("/") || path.equals("/console") || path.startsWith("/console/")) {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set("Content-Security-Policy", POLICY);
			headers.set("Referrer-Policy", "no-referrer");
			headers.set("X-Content-Type-Options", "nosniff");
		}
		return chain.filter(exchange);
	}

}
