package dev.agenthub.socketio;

import java.util.List;

import dev.agenthub.socketio.engine.EioFrame;

/**
 * A Socket.IO packet encoded once, ready to be sent to any number of sockets of its
 * namespace with {@link SioSocket#send(SioPacket)}: the text packet and its binary
 * attachments are shared, never copied or re-serialized per recipient. Create it with
 * {@link SocketIoServer#encodeEvent}.
 */
public final class SioPacket {

	private final String namespace;

	private final List<EioFrame> frames;

	/**
	 * Wrap encoded frames. Used by the engine's encoder; services use
	 * {@link SocketIoServer#encodeEvent}.
	 */
	public SioPacket(String namespace, List<EioFrame> frames) {
		this.namespace = namespace;
		this.frames = List.copyOf(frames);
	}

	/** The namespace the packet was encoded for. */
	public String namespace() {
		return this.namespace;
	}

	/** The Engine.IO frames: the text packet, then the binary attachments. */
	public List<EioFrame> frames() {
		return this.frames;
	}

	/** The encoded size in bytes, as counted against the outbound bound. */
	public long size() {
		long size = 0;
		for (EioFrame frame : this.frames) {
			size += frame.size();
		}
		return size;
	}

	@Override
	public String toString() {
		return this.frames.get(0).toString();
	}

}
