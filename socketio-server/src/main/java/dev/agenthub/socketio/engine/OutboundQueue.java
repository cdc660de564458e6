package dev.agenthub.socketio.engine;

import java.util.ArrayDeque;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A session's outbound frames, bounded in encoded bytes. Not thread-safe: the session
 * guards it with its monitor.
 */
final class OutboundQueue {

	private final ArrayDeque<EioFrame> frames = new ArrayDeque<>(4);

	private final long maxBytes;

	private long bytes;

	OutboundQueue(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/** Add all frames, or none if they would pass the bound. */
	boolean offer(List<EioFrame> added, long size) {
		if (this.bytes + size > this.maxBytes) {
			return false;
		}
		this.frames.addAll(added);
		this.bytes += size;
		return true;
	}

	@Nullable EioFrame poll() {
		EioFrame frame = this.frames.poll();
		if (frame != null) {
			this.bytes -= frame.size();
		}
		return frame;
	}

	/** Everything queued, as one polling payload; the queue is then empty. */
	byte[] drainPayload() {
		byte[] body = EioCodec.encodePayload(this.frames);
		clear();
		return body;
	}

	boolean isEmpty() {
		return this.frames.isEmpty();
	}

	long bytes() {
		return this.bytes;
	}

	void clear() {
		this.frames.clear();
		this.bytes = 0;
	}

}
