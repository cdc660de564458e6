package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;

/**
 * A raw WebSocket, on Reactor Netty's WebSocket API (no framework session in between:
 * nothing of the handshake is kept): frames in the connection's {@link Dialect}, queued
 * until the socket can take them (Reactor Netty asks for more only while the channel is
 * writable), so a slow reader's frames pile up here and nowhere else, bounded in bytes.
 * Event frames are shared byte arrays, wrapped, not copied, per recipient.
 */
public final class WebSocketTransport implements Transport {

	private static final Duration FLUSH = Duration.ofSeconds(2);

	private static final byte[] PING = new byte[0];

	private final WebsocketOutbound out;

	private final Dialect dialect;

	private final long maxBytes;

	private final Sinks.Many<Frame> sink = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Frame>unboundedMultiproducer().get());

	private final AtomicLong queuedBytes = new AtomicLong();

	private final Sinks.Empty<Void> outputDone = Sinks.empty();

	WebSocketTransport(WebsocketOutbound out, Dialect dialect, long maxBytes) {
		this.out = out;
		this.dialect = dialect;
		this.maxBytes = maxBytes;
	}

	public Dialect dialect() {
		return this.dialect;
	}

	@Override
	public boolean send(ServerMessage message) {
		return offer(this.dialect.message(message), false);
	}

	@Override
	public boolean deliver(EncodedEvent event) {
		return offer(event.text(this.dialect), false);
	}

	@Override
	public long queuedBytes() {
		return this.queuedBytes.get();
	}

	@Override
	public void ping() {
		offer(PING, true);
	}

	@Override
	public boolean heartbeat() {
		return offer(PING, true) && offer(this.dialect.heartbeat(), false);
	}

	@Override
	public boolean ownHeartbeats() {
		return false;
	}

	private boolean offer(byte[] utf8, boolean ping) {
		if (this.queuedBytes.addAndGet(utf8.length) > this.maxBytes) {
			this.queuedBytes.addAndGet(-utf8.length);
			return false;
		}
		synchronized (this) {
			// Several threads deliver to one connection; the sink wants one at a time.
			this.sink.tryEmitNext(new Frame(utf8, ping));
		}
		return true;
	}

	/** What the connection sends: the queued frames, until it closes. */
	Mono<Void> output() {
		Flux<WebSocketFrame> frames = this.sink.asFlux().map((frame) -> {
			this.queuedBytes.addAndGet(-frame.utf8.length);
			return frame.ping ? new PingWebSocketFrame(Unpooled.EMPTY_BUFFER)
					: new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8));
		});
		return this.out.sendObject(frames).then().doFinally((signal) -> this.outputDone.tryEmitEmpty());
	}

	@Override
	public void close(CloseCode code, String reason) {
		synchronized (this) {
			this.sink.tryEmitComplete();
		}
		Mono<Void> flushed = (code == CloseCode.SLOW_READER) ? Mono.empty()
				: this.outputDone.asMono().timeout(FLUSH).onErrorResume((ex) -> Mono.empty());
		String text = (reason.length() > 100) ? reason.substring(0, 100) : reason;
		flushed.then(this.out.sendClose(code.code(), text)).subscribe(null, (ex) -> {
			// The peer may already be gone; nothing more to do.
		});
	}

	/** The peer closed: nothing more is queued. */
	void closedByPeer() {
		synchronized (this) {
			this.sink.tryEmitComplete();
		}
	}

	private record Frame(byte[] utf8, boolean ping) {

	}

}
