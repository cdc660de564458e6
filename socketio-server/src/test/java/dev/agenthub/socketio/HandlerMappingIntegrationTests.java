package dev.agenthub.socketio;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.socketio.TestClients.Http;
import dev.agenthub.socketio.TestClients.Ws;
import dev.agenthub.socketio.conformance.ConformanceNamespaceHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mounting the engine the way the services do: a {@link HandlerMapping} bean in a WebFlux
 * application context, served by Spring's {@code DispatcherHandler}.
 */
@Timeout(30)
class HandlerMappingIntegrationTests {

	@Test
	void shouldServeSocketIoThroughDispatcherHandler() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class)) {
			DisposableServer server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
				.bindNow(Duration.ofSeconds(10));
			try {
				assertThat(new Http(server.port(), "/socket.io/").get("EIO=4&transport=polling").body())
					.startsWith("0{\"sid\":");
				assertThat(new Http(server.port(), "/socket.io").get("EIO=4&transport=polling").status())
					.isEqualTo(200);
				try (Ws ws = new Ws(server.port(), "/socket.io/?EIO=4&transport=websocket")) {
					assertThat(ws.nextText()).startsWith("0{");
					ws.send("40{\"token\":\"t\"}");
					assertThat(ws.nextNonPing()).startsWith("40{\"sid\":");
					assertThat(ws.nextNonPing()).isEqualTo("42[\"auth\",{\"token\":\"t\"}]");
				}
			}
			finally {
				context.getBean(SocketIoServer.class).shutdown().block(Duration.ofSeconds(5));
				server.disposeNow(Duration.ofSeconds(5));
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	static class App {

		@Bean
		SocketIoServer socketIoServer() {
			return new SocketIoServer(SocketIoConfig.defaults(), Map.of("/", new ConformanceNamespaceHandler()),
					SocketIoMetrics.NOOP);
		}

		@Bean
		HandlerMapping socketIoHandlerMapping(SocketIoServer socketIoServer) {
			return socketIoServer.handlerMapping("/socket.io/", -10);
		}

	}

}
