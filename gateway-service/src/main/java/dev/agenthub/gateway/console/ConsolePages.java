package dev.agenthub.gateway.console;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The console's pages: {@code /} leads to {@code /console/}; {@code /console/},
 * {@code /console/workspaces/{id}} and {@code /console/operator} are the single page (the
 * app routes by path), and {@code /console/**} its built files from the classpath
 * ({@code hub-console/}, not a default static location: in the one-process hub the other
 * services share this classpath and must not serve it). Every answer under {@code /} and
 * {@code /console/} carries {@link ConsoleHeaders}.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePages {

	static final String LOCATION = "hub-console/";

	private static final Resource INDEX = new ClassPathResource(LOCATION + "index.html");

	@Bean
	RouterFunction<ServerResponse> consoleRoutes() {
		return RouterFunctions
			.route(GET("/").or(GET("/console")),
					(request) -> ServerResponse.temporaryRedirect(URI.create("/console/")).build())
			.andRoute(GET("/console/").or(GET("/console/operator")).or(GET("/console/workspaces/{id}")),
					(request) -> index())
			.and(RouterFunctions.resources("/console/**", new ClassPathResource(LOCATION)));
	}

	@Bean
	WebFilter consoleHeaders() {
		return new ConsoleHeaders();
	}

	private static Mono<ServerResponse> index() {
		if (!INDEX.exists()) {
			return ServerResponse.status(503)
				.contentType(MediaType.TEXT_PLAIN)
				.bodyValue("The console is not built: build the web-console module (./mvnw -pl web-console package).");
		}
		// The page names its hashed assets: it must be re-read after an upgrade.
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_HTML)
			.cacheControl(CacheControl.noCache())
			.bodyValue(INDEX);
	}

}
