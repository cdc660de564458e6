package dev.agenthub.support.connection;

import dev.agenthub.contracts.message.ClientMessage;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

/**
 * One frame from a client, read out of the transport's buffers as it arrives: a raw
 * WebSocket frame (its text for text frames up to 1 MiB; larger ones are refused by size,
 * unread) or a Socket.IO event already decoded by the engine.
 *
 * @param kind what the frame is
 * @param size its payload size in bytes
 * @param text a raw text frame's text, or {@code null}
 * @param message a Socket.IO event as a message, or {@code null}
 * @param notBeforeNanos when a throttled frame may be handled
 * ({@link System#nanoTime()}), or 0
 */
record Inbound(Kind kind, int size, @Nullable String text, @Nullable ClientMessage message, long notBeforeNanos) {

	private static final int TEXT_READ_LIMIT = 1024 * 1024;

	enum Kind {

		TEXT, BINARY, CONTROL, DECODED

	}

	/** A frame as Reactor Netty hands it over (read here, released after). */
	static Inbound of(WebSocketFrame frame) {
		int size = frame.content().readableBytes();
		if (frame instanceof TextWebSocketFrame text) {
			return new Inbound(Kind.TEXT, size, (size <= TEXT_READ_LIMIT) ? text.text() : null, null, 0);
		}
		return new Inbound((frame instanceof BinaryWebSocketFrame) ? Kind.BINARY : Kind.CONTROL, size, null, null, 0);
	}

	static Inbound decoded(ClientMessage message, int size) {
		return new Inbound(Kind.DECODED, size, null, message, 0);
	}

	/**
	 * The frame, to be handled {@code nanos} from now at the earliest: a deadline, not a
	 * wait, so that frames admitted together and handled one after the other are not
	 * delayed once each.
	 */
	Inbound after(long nanos) {
		return new Inbound(this.kind, this.size, this.text, this.message, System.nanoTime() + nanos);
	}

	/** Nanoseconds left before the frame may be handled (0 when it may now). */
	long waitNanos() {
		return (this.notBeforeNanos == 0) ? 0 : Math.max(0, this.notBeforeNanos - System.nanoTime());
	}

}
