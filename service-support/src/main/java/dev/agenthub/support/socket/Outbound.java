package dev.agenthub.support.socket;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * A connection's outbound queue, bounded in bytes. Frames wait here until the socket can
 * take them (Reactor Netty asks for more only while the channel is writable), so a slow
 * reader's frames pile up here and nowhere else; past the bound, {@link #offer} refuses
 * and the owner closes the connection (4010). Event frames are shared byte arrays,
 * encoded once per publish and wrapped, not copied, per recipient.
 */
final class Outbound {

	private final Sinks.Many<Frame> sink = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Frame>unboundedMultiproducer().get());

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicLong replayBytes = new AtomicLong();

	private final long maxBytes;

	Outbound(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/**
	 * Queues a frame.
	 * @return {@code false} when the queue is over its bound (the frame is dropped)
	 */
	boolean offer(byte[] utf8, boolean ping) {
		long queued = this.queuedBytes.addAndGet(utf8.length);
		if (queued - this.replayBytes.get() > this.maxBytes) {
			this.queuedBytes.addAndGet(-utf8.length);
			return false;
		}
		return emit(new Frame(utf8, ping, false));
	}

	/**
	 * Queues a frame of a recovery replay. Replays are bounded by the caller (the most
	 * events one recovery sends) and go out as fast as the client reads; they do not
	 * count against the slow-reader bound, which applies to the live frames after them.
	 */
	void offerReplay(byte[] utf8) {
		this.queuedBytes.addAndGet(utf8.length);
		this.replayBytes.addAndGet(utf8.length);
		emit(new Frame(utf8, false, true));
	}

	private boolean emit(Frame frame) {
		synchronized (this) {
			// Several threads deliver to one connection; the sink wants one at a time.
			this.sink.tryEmitNext(frame);
		}
		return true;
	}

	long queuedBytes() {
		return this.queuedBytes.get();
	}

	void complete() {
		synchronized (this) {
			this.sink.tryEmitComplete();
		}
	}

	Flux<WebSocketMessage> messages(WebSocketSession session) {
		return this.sink.asFlux().map((frame) -> {
			this.queuedBytes.addAndGet(-frame.utf8.length);
			if (frame.replay) {
				this.replayBytes.addAndGet(-frame.utf8.length);
			}
			if (frame.ping) {
				return session.pingMessage((factory) -> factory.wrap(frame.utf8));
			}
			return new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(frame.utf8));
		});
	}

	private record Frame(byte[] utf8, boolean ping, boolean replay) {

	}

}
