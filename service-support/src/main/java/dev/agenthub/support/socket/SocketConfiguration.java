package dev.agenthub.support.socket;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket upgrade for hub ingresses: frames up to 1 MiB reach the handlers, which
 * enforce their configured (lower) limit themselves so that the client gets an
 * {@code error} before the 1009 close.
 */
@AutoConfiguration
public class SocketConfiguration {

	/** The transport's frame limit; above it Netty itself closes with 1009. */
	public static final int TRANSPORT_MAX_FRAME = 1024 * 1024;

	@Bean
	@ConditionalOnMissingBean
	WebSocketHandlerAdapter webSocketHandlerAdapter() {
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().maxFramePayloadLength(TRANSPORT_MAX_FRAME);
		return new WebSocketHandlerAdapter(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(spec)));
	}

}
