package dev.agenthub.support.socket;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
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
 */
@AutoConfiguration
public class SocketConfiguration {

	/** The transport's frame limit; above it Netty itself closes with 1009. */
	public static final int TRANSPORT_MAX_FRAME = 1024 * 1024;

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
