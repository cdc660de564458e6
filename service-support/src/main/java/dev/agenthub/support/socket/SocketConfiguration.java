package dev.agenthub.support.socket;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket upgrade for hub ingresses: frames up to 1 MiB reach the handlers, which
 * enforce their configured (lower) limit themselves so that the client gets an
 * {@code error} before the 1009 close. WebFlux's own handler adapter is the one in use,
 * so the service it upgrades with is configured through a {@link WebFluxConfigurer}.
 * <p>
 * An upgraded request lasts as long as its socket: observed as an HTTP request it would
 * keep an open observation, its context and key values for every connection (about 1 KB
 * each), so WebSocket upgrades are not observed as {@code http.server.requests}; the
 * gateway's own connection meters count them.
 */
@AutoConfiguration
public class SocketConfiguration {

	/** The transport's frame limit; above it Netty itself closes with 1009. */
	public static final int TRANSPORT_MAX_FRAME = 1024 * 1024;

	@Bean
	ObservationPredicate hubNoObservedSocketUpgrades() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& isUpgrade(request.getCarrier()));
	}

	/** Whether a request asks for a WebSocket upgrade. */
	static boolean isUpgrade(ServerHttpRequest request) {
		return request != null && "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
	}

	@Bean
	WebFluxConfigurer hubWebSocketService() {
		return new WebFluxConfigurer() {

			@Override
			public WebSocketService getWebSocketService() {
				return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
						WebsocketServerSpec.builder().maxFramePayloadLength(TRANSPORT_MAX_FRAME)));
			}

		};
	}

}
