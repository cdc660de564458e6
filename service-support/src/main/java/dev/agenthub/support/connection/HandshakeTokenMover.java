package dev.agenthub.support.connection;

import java.util.List;
import java.util.Map;

import dev.agenthub.socketio.HandshakeInfo;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;

/**
 * Moves the token of a WebSocket upgrade ({@code /ws?token=...}, as browsers must pass
 * it; {@code /socket.io/?...&token=...}, socket.io-client's {@code query: {token}}) out
 * of the request line into a header of its own ({@value #HEADER}), before the server
 * reads the request: the server keeps an upgraded request's line (and its query) for the
 * socket's life, but not its headers (the connection core and the Engine.IO transport
 * clear them), so the token is not kept with the connection. Same meaning as before: the
 * core reads that header first ({@link Handshake#token}), the Engine.IO engine where the
 * query has no token ({@link HandshakeInfo#CREDENTIAL_HEADER}), and a bad token is still
 * refused in the protocol ({@code auth} failed, 4001; a {@code connect_error}), not by
 * the HTTP security filters that check an {@code Authorization} header. The handler
 * leaves the pipeline after the first upgrade request.
 */
@ChannelHandler.Sharable
public final class HandshakeTokenMover extends ChannelInboundHandlerAdapter {

	/** The one instance (it keeps no state). */
	public static final HandshakeTokenMover INSTANCE = new HandshakeTokenMover();

	/** Its name in a channel's pipeline. */
	public static final String NAME = "hub.handshakeTokenMover";

	/** The header the query token moves to. */
	public static final String HEADER = HandshakeInfo.CREDENTIAL_HEADER;

	/** The query parameter it moves. */
	static final String TOKEN = HandshakeInfo.CREDENTIAL;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		if (message instanceof HttpRequest request && HttpMethod.GET.equals(request.method())
				&& request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
			move(request);
			ctx.pipeline().remove(this);
		}
		ctx.fireChannelRead(message);
	}

	/**
	 * Rewrites the request: its query without {@code token}, the token in
	 * {@link #HEADER}.
	 */
	static void move(HttpRequest request) {
		QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
		List<String> tokens = decoder.parameters().get(TOKEN);
		if (tokens == null || tokens.isEmpty()) {
			return;
		}
		QueryStringEncoder encoder = new QueryStringEncoder(decoder.rawPath());
		for (Map.Entry<String, List<String>> parameter : decoder.parameters().entrySet()) {
			if (!TOKEN.equals(parameter.getKey())) {
				for (String value : parameter.getValue()) {
					encoder.addParam(parameter.getKey(), value);
				}
			}
		}
		request.setUri(encoder.toString());
		String token = tokens.get(0);
		request.headers().remove(HEADER);
		if (!token.isBlank()) {
			request.headers().set(HEADER, token.trim());
		}
	}

}
