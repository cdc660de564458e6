package dev.agenthub.shim.remote;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Removes the {@code Origin} header Netty's WebSocket handshaker adds on its own: Chrome
 * refuses DevTools WebSockets that carry an origin it was not started to allow
 * ({@code --remote-allow-origins}), and tools never send one.
 */
@ChannelHandler.Sharable
final class OriginStripper extends ChannelOutboundHandlerAdapter {

	static final String NAME = "cdp-shim.origin-stripper";

	static final OriginStripper INSTANCE = new OriginStripper();

	private OriginStripper() {
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpRequest request) {
			request.headers().remove(HttpHeaderNames.ORIGIN);
		}
		ctx.write(msg, promise);
	}

}
