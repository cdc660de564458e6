package dev.agenthub.bench.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * One client WebSocket on the generator's shared event loop, written for the generator's
 * cost per connection and per frame: a plain Netty channel with one handler that writes
 * the upgrade request, checks the {@code 101} answer and its
 * {@code Sec-WebSocket-Accept}, and then reads frames in place — no HTTP client, no frame
 * objects, no reactive operators per frame (the Reactor Netty client it replaces cost the
 * generator about as much CPU per open and per frame as the server under test spent).
 * What a browser's WebSocket does on the wire is all here: a random key per connection,
 * every frame masked with a random key, pings answered, the close handshake.
 *
 * <p>
 * Text frames go to a listener as {@link ByteBuf}s (valid only during the call, so
 * listeners scan bytes instead of decoding JSON); outbound text goes through a small
 * bounded queue, written while the socket is writable (so a server that stops reading
 * fills it, and {@link #send} says so).
 */
public final class WsConn {

	/** The largest message taken (recovery bursts are many small frames). */
	private static final int MAX_MESSAGE = 1 << 20;

	private static final int MAX_RESPONSE_HEAD = 16 << 10;

	private static final Object CLOSE = new Object();

	private final int limit;

	private final BiConsumer<WsConn, ByteBuf> listener;

	private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private volatile Channel channel;

	private volatile boolean upgraded;

	private volatile boolean closing;

	private volatile boolean aborted;

	/** The close code the server sent; -1 none. Written on the event loop. */
	private volatile int closeCode = -1;

	private WsConn(int limit, BiConsumer<WsConn, ByteBuf> listener) {
		this.limit = limit;
		this.listener = listener;
	}

	/**
	 * Opens a connection; frames reach {@code listener} on an event-loop thread.
	 * @param uri the {@code ws://} address
	 * @param sourceHost local address to bind, or {@code null}
	 * @param listener text frame listener
	 * @return the connection (its future {@link #closed()} completes with the close code)
	 */
	public static WsConn open(URI uri, String sourceHost, BiConsumer<WsConn, ByteBuf> listener) {
		return open(uri, sourceHost, listener, 64);
	}

	/**
	 * Opens a connection with an outbound queue of {@code queue} frames (a streaming
	 * agent queues more than a browser, as agent clients do).
	 * @param uri the {@code ws://} address
	 * @param sourceHost local address to bind, or {@code null}
	 * @param listener text frame listener
	 * @param queue outbound frames queued at most
	 * @return the connection
	 */
	public static WsConn open(URI uri, String sourceHost, BiConsumer<WsConn, ByteBuf> listener, int queue) {
		WsConn conn = new WsConn(queue, listener);
		int port = (uri.getPort() > 0) ? uri.getPort() : 80;
		String key = Rfc6455.newKey();
		Bootstrap bootstrap = new Bootstrap().group(Net.clientGroup())
			.channel(Net.clientChannel())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(conn.new Handler(Rfc6455.upgradeRequest(uri, port, key), Rfc6455.accept(key)));
		InetSocketAddress remote = new InetSocketAddress(uri.getHost(), port);
		(sourceHost != null ? bootstrap.connect(remote, new InetSocketAddress(sourceHost, 0))
				: bootstrap.connect(remote))
			.addListener((ChannelFutureListener) (future) -> {
				if (!future.isSuccess()) {
					conn.closed.complete(-2);
				}
			});
		return conn;
	}

	/**
	 * Queues a text frame.
	 * @param text the frame
	 * @return whether it was queued (false when the queue is full or the socket closed)
	 */
	public boolean send(String text) {
		if (this.closing || this.closed.isDone()) {
			return false;
		}
		if (this.queued.incrementAndGet() > this.limit) {
			this.queued.decrementAndGet();
			return false;
		}
		this.outbound.add(text);
		scheduleDrain();
		return true;
	}

	/** Closes with 1000 after the frames queued before it. */
	public void close() {
		if (this.closing) {
			return;
		}
		this.closing = true;
		this.outbound.add(CLOSE);
		scheduleDrain();
	}

	/** Drops the TCP connection without a close handshake. */
	public void abort() {
		this.aborted = true;
		Channel ch = this.channel;
		if (ch != null) {
			ch.close();
		}
	}

	/**
	 * @return completes with the close code (-1 none seen, -2 connection or upgrade
	 * error)
	 */
	public CompletableFuture<Integer> closed() {
		return this.closed;
	}

	private void scheduleDrain() {
		Channel ch = this.channel;
		if (ch == null || !this.upgraded) {
			return; // drained when the upgrade is answered
		}
		if (ch.eventLoop().inEventLoop()) {
			drain(ch);
		}
		else if (this.drainScheduled.compareAndSet(false, true)) {
			ch.eventLoop().execute(() -> {
				this.drainScheduled.set(false);
				drain(ch);
			});
		}
	}

	/** Writes what is queued while the socket takes it, then flushes once. */
	private void drain(Channel ch) {
		boolean wrote = false;
		while (ch.isWritable()) {
			Object next = this.outbound.poll();
			if (next == null) {
				break;
			}
			wrote = true;
			if (next == CLOSE) {
				ByteBuf code = ch.alloc().buffer(2).writeShort(1000);
				ch.write(Rfc6455.frame(ch.alloc(), 0x8, code));
				code.release();
				ch.eventLoop().schedule(() -> ch.close(), 5, TimeUnit.SECONDS);
				break;
			}
			this.queued.decrementAndGet();
			ByteBuf payload = ByteBufUtil.writeUtf8(ch.alloc(), (String) next);
			ch.write(Rfc6455.frame(ch.alloc(), 0x1, payload));
			payload.release();
		}
		if (wrote) {
			ch.flush();
		}
	}

	/** The connection's one handler: the upgrade, then frames read in place. */
	private final class Handler extends ByteToMessageDecoder {

		private final byte[] request;

		private final String accept;

		/** A fragmented message being gathered, or {@code null}. */
		private ByteBuf fragments;

		private int fragmentsOpcode;

		private ScheduledFuture<?> upgradeTimeout;

		Handler(byte[] request, String accept) {
			this.request = request;
			this.accept = accept;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			WsConn.this.channel = ctx.channel();
			if (WsConn.this.aborted) {
				ctx.close();
				return;
			}
			ctx.writeAndFlush(ctx.alloc().buffer(this.request.length).writeBytes(this.request));
			this.upgradeTimeout = ctx.executor().schedule(() -> {
				ctx.close();
			}, 30, TimeUnit.SECONDS);
			super.channelActive(ctx);
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
			if (ctx.channel().isWritable() && WsConn.this.upgraded) {
				drain(ctx.channel());
			}
			super.channelWritabilityChanged(ctx);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			super.channelInactive(ctx);
			if (this.fragments != null) {
				this.fragments.release();
				this.fragments = null;
			}
			WsConn.this.closed.complete(WsConn.this.upgraded ? WsConn.this.closeCode : -2);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			if (!WsConn.this.upgraded && !upgrade(ctx, in)) {
				return;
			}
			while (in.isReadable(2) && ctx.channel().isOpen()) {
				int at = in.readerIndex();
				int b0 = in.getUnsignedByte(at);
				int b1 = in.getUnsignedByte(at + 1);
				long length = b1 & 0x7F;
				int head = 2;
				if (length == 126) {
					if (!in.isReadable(4)) {
						return;
					}
					length = in.getUnsignedShort(at + 2);
					head = 4;
				}
				else if (length == 127) {
					if (!in.isReadable(10)) {
						return;
					}
					length = in.getLong(at + 2);
					head = 10;
				}
				boolean masked = (b1 & 0x80) != 0;
				if (length < 0 || length > MAX_MESSAGE) {
					closeWith(ctx, 1009);
					return;
				}
				int start = at + head + (masked ? 4 : 0);
				if (in.writerIndex() - start < length) {
					return;
				}
				ByteBuf payload = in.slice(start, (int) length);
				if (masked) { // servers do not mask; taken anyway
					Rfc6455.mask(in, start, (int) length, in.getInt(at + head));
				}
				in.readerIndex(start + (int) length);
				frame(ctx, (b0 & 0x80) != 0, b0 & 0x0F, payload);
			}
		}

		/** Reads the answer to the upgrade; true once it is a valid 101. */
		private boolean upgrade(ChannelHandlerContext ctx, ByteBuf in) {
			int headEnd = Rfc6455.headEnd(in);
			if (headEnd < 0) {
				if (in.readableBytes() > MAX_RESPONSE_HEAD) {
					ctx.close();
				}
				return false;
			}
			String head = in.toString(in.readerIndex(), headEnd - in.readerIndex(), StandardCharsets.US_ASCII);
			in.readerIndex(headEnd);
			if (!head.startsWith("HTTP/1.1 101") || !head.contains(this.accept)) {
				ctx.close(); // refused (e.g. 503 and Retry-After): a failed open
				return false;
			}
			this.upgradeTimeout.cancel(false);
			WsConn.this.upgraded = true;
			drain(ctx.channel());
			return true;
		}

		private void frame(ChannelHandlerContext ctx, boolean fin, int opcode, ByteBuf payload) {
			switch (opcode) {
				case 0x0 -> {
					if (this.fragments == null) {
						closeWith(ctx, 1002);
						return;
					}
					if (this.fragments.readableBytes() + payload.readableBytes() > MAX_MESSAGE) {
						closeWith(ctx, 1009);
						return;
					}
					this.fragments.writeBytes(payload);
					if (fin) {
						ByteBuf whole = this.fragments;
						this.fragments = null;
						try {
							message(this.fragmentsOpcode, whole);
						}
						finally {
							whole.release();
						}
					}
				}
				case 0x1, 0x2 -> {
					if (fin) {
						message(opcode, payload);
					}
					else {
						this.fragmentsOpcode = opcode;
						this.fragments = ctx.alloc().buffer(payload.readableBytes() * 2);
						this.fragments.writeBytes(payload);
					}
				}
				case 0x8 -> {
					WsConn.this.closeCode = (payload.readableBytes() >= 2) ? payload.getUnsignedShort(0) : 1005;
					if (WsConn.this.closing) {
						ctx.close();
					}
					else {
						WsConn.this.closing = true;
						ctx.writeAndFlush(
								Rfc6455.frame(ctx.alloc(), 0x8, payload.slice(0, Math.min(2, payload.readableBytes()))))
							.addListener(ChannelFutureListener.CLOSE);
					}
				}
				case 0x9 -> ctx.writeAndFlush(Rfc6455.frame(ctx.alloc(), 0xA, payload));
				default -> {
				}
			}
		}

		private void message(int opcode, ByteBuf payload) {
			if (opcode == 0x1) {
				WsConn.this.listener.accept(WsConn.this, payload);
			}
		}

		private void closeWith(ChannelHandlerContext ctx, int code) {
			WsConn.this.closing = true;
			ByteBuf payload = ctx.alloc().buffer(2).writeShort(code);
			ctx.writeAndFlush(Rfc6455.frame(ctx.alloc(), 0x8, payload)).addListener(ChannelFutureListener.CLOSE);
			payload.release();
		}

	}

}
