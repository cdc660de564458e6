package dev.agenthub.support.socket;

import io.micrometer.observation.ObservationPredicate;
import dev.agenthub.support.connection.HandshakeTokenMover;
import io.netty.channel.ChannelPipeline;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import reactor.netty.NettyPipeline;

/**
 * The WebSocket upgrades of hub ingresses (made on Reactor Netty by the connection core
 * and the Socket.IO engine): frames up to 1 MiB reach the handlers, which enforce their
 * configured (lower) limit themselves so that the client gets an {@code error} before the
 * 1009 close.
 * <p>
 * An upgraded socket's handler runs in the context of its upgrade request: observed as an
 * HTTP request, the upgrade would leave an observation, its context and key values with
 * every connection (about 1 KB each), so WebSocket upgrades are not observed as
 * {@code http.server.requests}; the gateway's own connection meters count them.
 */
@AutoConfiguration
public class SocketConfiguration {

	/** The transport's frame limit; above it Netty itself closes with 1009. */
	public static final int TRANSPORT_MAX_FRAME = 1024 * 1024;

	/**
	 * The Socket.IO engine's payload limit for an ingress: the transport's, as a raw
	 * WebSocket's, so that a message over the ingress's frame limit reaches the pipeline,
	 * which refuses it in words ({@code error too_large}, then the close) where the
	 * engine would only drop the transport; never below the frame limit, nor above the
	 * outbound bound (the engine's queue must hold one whole packet).
	 * @param maxFrameBytes the ingress's frame limit
	 * @param maxOutboundBytes the ingress's slow-reader bound
	 */
	public static int engineMaxPayload(int maxFrameBytes, long maxOutboundBytes) {
		return (int) Math.max(maxFrameBytes, Math.min(TRANSPORT_MAX_FRAME, maxOutboundBytes));
	}

	@Bean
	ObservationPredicate hubNoObservedSocketUpgrades() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& isUpgrade(request.getCarrier()));
	}

	/**
	 * A raw WebSocket's {@code ?token=} travels as a header, not kept with the socket.
	 */
	@Bean
	NettyServerCustomizer hubHandshakeTokenMover() {
		return (server) -> server.doOnChannelInit((observer, channel, address) -> {
			ChannelPipeline pipeline = channel.pipeline();
			if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(HandshakeTokenMover.NAME) == null) {
				pipeline.addAfter(NettyPipeline.HttpCodec, HandshakeTokenMover.NAME, HandshakeTokenMover.INSTANCE);
			}
		});
	}

	/** Whether a request asks for a WebSocket upgrade. */
	static boolean isUpgrade(ServerHttpRequest request) {
		return request != null && "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
	}

}
