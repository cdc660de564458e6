package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.socketio.transport.UpgradedSockets;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A raw WebSocket, on Reactor Netty's WebSocket API (no framework session in between:
 * nothing of the handshake is kept): frames in the connection's {@link Dialect}, queued
 * here until the socket can take them, so a slow reader's frames pile up here and nowhere
 * else, bounded in bytes. Event frames are shared byte arrays, wrapped, not copied, per
 * recipient.
 * <p>
 * Frames are written to the Netty channel directly, on its event loop: one task drains
 * what is queued while the channel is writable and flushes once, and resumes when the
 * channel becomes writable again. No reactive stream in between, so no per-connection
 * prefetch queue and no hop per frame.
 */
public final class WebSocketTransport implements Transport {

	private static final Duration FLUSH = Duration.ofSeconds(2);

	/** A transport-level ping in the queue (compared by identity). */
	private static final byte[] PING = new byte[0];

	private final WebsocketOutbound out;

	private final Channel channel;

	private final Dialect dialect;

	private final long maxBytes;

	/** Text frames' UTF-8 and {@link #PING}s, guarded by this. */
	private final ArrayDeque<byte[]> queue = new ArrayDeque<>(4);

	private final AtomicLong queuedBytes = new AtomicLong();

	/** A drain is scheduled or waits for the channel to become writable (guarded). */
	private boolean draining;

	/** Nothing more is queued (guarded). */
	private boolean ended;

	private final Sinks.Empty<Void> outputDone = Sinks.empty();

	WebSocketTransport(WebsocketOutbound out, Dialect dialect, long maxBytes) {
		this.out = out;
		this.dialect = dialect;
		this.maxBytes = maxBytes;
		this.channel = UpgradedSockets.writeDirectly(out, this::writable);
		this.channel.closeFuture().addListener((future) -> end(true));
	}

	/** Runs {@code then} once the channel closed (at once when it is). */
	void onChannelClosed(Runnable then) {
		this.channel.closeFuture().addListener((future) -> then.run());
	}

	public Dialect dialect() {
		return this.dialect;
	}

	@Override
	public boolean send(ServerMessage message) {
		return offer(this.dialect.message(message));
	}

	@Override
	public boolean deliver(EncodedEvent event) {
		return offer(event.text(this.dialect));
	}

	@Override
	public long queuedBytes() {
		return this.queuedBytes.get();
	}

	@Override
	public void ping() {
		offer(PING);
	}

	@Override
	public boolean heartbeat() {
		return offer(PING) && offer(this.dialect.heartbeat());
	}

	@Override
	public boolean ownHeartbeats() {
		return false;
	}

	private boolean offer(byte[] utf8) {
		if (this.queuedBytes.addAndGet(utf8.length) > this.maxBytes) {
			this.queuedBytes.addAndGet(-utf8.length);
			return false;
		}
		boolean schedule;
		synchronized (this) {
			if (this.ended) {
				// closing or closed: nothing more goes out
				this.queuedBytes.addAndGet(-utf8.length);
				return true;
			}
			this.queue.add(utf8);
			schedule = !this.draining;
			this.draining = true;
		}
		if (schedule) {
			this.channel.eventLoop().execute(this::drain);
		}
		return true;
	}

	/** On the event loop: writes what is queued while the channel takes it. */
	private void drain() {
		ChannelPromise quiet = null;
		boolean wrote = false;
		boolean done = false;
		while (this.channel.isWritable()) {
			byte[] next;
			synchronized (this) {
				next = this.queue.poll();
				if (next == null) {
					this.draining = false;
					done = this.ended;
					break;
				}
			}
			this.queuedBytes.addAndGet(-next.length);
			WebSocketFrame frame = (next == PING) ? new PingWebSocketFrame(Unpooled.EMPTY_BUFFER)
					: new TextWebSocketFrame(Unpooled.wrappedBuffer(next));
			quiet = (quiet != null) ? quiet : UpgradedSockets.quietPromise(this.channel);
			this.channel.write(frame, quiet);
			wrote = true;
		}
		if (wrote) {
			this.channel.flush();
		}
		if (done) {
			this.outputDone.tryEmitEmpty();
		}
		// not writable: writable() drains again when it is
	}

	/** The channel became writable again (on its event loop). */
	private void writable() {
		boolean resume;
		synchronized (this) {
			resume = this.draining;
		}
		if (resume) {
			drain();
		}
	}

	/** What the connection sends: completes once its output ended (closed, drained). */
	Mono<Void> output() {
		return this.outputDone.asMono();
	}

	@Override
	public void close(CloseCode code, String reason) {
		boolean drained = end(code == CloseCode.SLOW_READER);
		Mono<Void> flushed = drained ? Mono.empty()
				: this.outputDone.asMono().timeout(FLUSH).onErrorResume((ex) -> Mono.empty());
		String text = (reason.length() > 100) ? reason.substring(0, 100) : reason;
		flushed.then(this.out.sendClose(code.code(), text)).subscribe(null, (ex) -> {
			// The peer may already be gone; nothing more to do.
		});
	}

	/**
	 * The peer closed: nothing more is queued, and what is cannot reach it. Kept, frames
	 * queued while a drain was pending would wait for a channel that never becomes
	 * writable again, and the output (and so the connection) would never end.
	 */
	void closedByPeer() {
		end(true);
	}

	/**
	 * Takes no more frames; with {@code discard}, drops those queued (a slow reader, a
	 * closed channel).
	 * @return whether the output is done (nothing left to write)
	 */
	private boolean end(boolean discard) {
		boolean done;
		synchronized (this) {
			this.ended = true;
			if (discard) {
				for (byte[] dropped : this.queue) {
					this.queuedBytes.addAndGet(-dropped.length);
				}
				this.queue.clear();
			}
			done = this.queue.isEmpty() && (!this.draining || discard);
		}
		if (done) {
			this.outputDone.tryEmitEmpty();
		}
		return done;
	}

}
