package dev.agenthub.socketio.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * What every WebSocket upgraded on Reactor Netty directly (the Engine.IO transport, the
 * hub's raw sockets) does once open.
 */
public final class UpgradedSockets {

	private UpgradedSockets() {
	}

	/**
	 * Forgets the upgrade's headers, which Reactor Netty keeps with the socket for its
	 * life: the request's (a token, cookies) and the response's (every header the web
	 * filters added: security headers, CORS {@code Vary}s — a dozen per connection). Call
	 * once the handler runs: the handshake is written and nothing reads them again.
	 */
	public static void forgetHandshake(WebsocketInbound in, WebsocketOutbound out) {
		in.headers().clear();
		if (out instanceof HttpServerResponse response) {
			response.responseHeaders().clear();
		}
	}

	/**
	 * The socket's Netty channel, for writing frames to it directly on its event loop (no
	 * reactive stream, so no per-connection prefetch queue), and a handler that runs
	 * {@code onWritable} on the event loop, in a task of its own, each time the channel
	 * becomes writable again.
	 */
	public static Channel writeDirectly(WebsocketOutbound out, Runnable onWritable) {
		Channel[] channel = new Channel[1];
		out.withConnection((connection) -> {
			channel[0] = connection.channel();
			connection.addHandlerLast(Writability.NAME, new Writability(onWritable));
		});
		return channel[0];
	}

	/**
	 * A promise for frames written directly whose failure is not fired down the pipeline
	 * (the channel's own {@code voidPromise()} fires it). A write fails when the peer is
	 * gone (broken pipe, reset); Netty then closes the channel, which ends the socket as
	 * any close does. Fired, the failure reaches Reactor Netty, which logs it as an
	 * uncaught exception (an ERROR with a stack trace) when the socket's handler has just
	 * completed — a storm of dead peers writes hundreds of them.
	 */
	public static ChannelPromise quietPromise(Channel channel) {
		return new VoidChannelPromise(channel, false);
	}

	/** Runs an action when the channel becomes writable again. */
	private static final class Writability extends ChannelInboundHandlerAdapter {

		static final String NAME = "hub.outbound.writability";

		private final Runnable onWritable;

		Writability(Runnable onWritable) {
			this.onWritable = onWritable;
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
			if (ctx.channel().isWritable()) {
				// in a task of its own: the event may fire while the channel is in the
				// middle of a flush, which is no place to write more
				ctx.executor().execute(this.onWritable);
			}
			super.channelWritabilityChanged(ctx);
		}

	}

}
