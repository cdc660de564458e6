package dev.agenthub.gateway.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.subscription.EncodedFrames;
import dev.agenthub.socketio.Ack;
import dev.agenthub.socketio.SioPacket;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketIoServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/**
 * A Socket.IO socket as a session's outbound side. Hub events go as the catalogue's event
 * name with {@code data} and then the offset ({@code "<channel>@<offset>"}, the string
 * the official client keeps for recovery), encoded once per publish through
 * {@link EncodedFrames}. Replies to a request go to the request's ack (the reply sink);
 * messages nobody asked for (notices, resyncs) are emitted as events named after their
 * type. Remembers the order of the last events sent, so that a reconnecting client's last
 * offset tells exactly where each channel stood.
 */
final class SocketIoOutbound implements GatewaySession.Outbound {

	/** Deliveries remembered for recovery (channel and offset of each, in order). */
	static final int RECENT = 512;

	private final SioSocket socket;

	private final SocketIoServer server;

	private final ArrayDeque<String> recent = new ArrayDeque<>();

	private Ack pendingAck;

	private int pendingId;

	private long delivered;

	private volatile boolean closed;

	SocketIoOutbound(SioSocket socket, SocketIoServer server) {
		this.socket = socket;
		this.server = server;
	}

	/** The offset string of an event: what its recipients send back to recover. */
	static String offsetOf(String channel, long offset) {
		return channel + "@" + offset;
	}

	/**
	 * Routes the replies to request {@code id} to {@code ack} (one request at a time).
	 */
	synchronized void expectReply(int id, Ack ack) {
		this.pendingId = id;
		this.pendingAck = ack;
	}

	/** Ends a request: an ack nobody answered gets {@code {"ok":true}}. */
	synchronized void requestDone() {
		if (this.pendingAck != null) {
			this.pendingAck.send(HubJson.object().put("ok", true));
			this.pendingAck = null;
		}
	}

	@Override
	public void send(ServerMessage message) {
		Ack ack = null;
		synchronized (this) {
			if (this.pendingAck != null && message.id() instanceof IntNode id && id.intValue() == this.pendingId) {
				ack = this.pendingAck;
				this.pendingAck = null;
			}
		}
		JsonNode data = (message.data() != null) ? message.data() : HubJson.object();
		if (ack != null) {
			ack.send(data);
		}
		else {
			this.socket.emit(message.type(), data);
		}
	}

	@Override
	public void deliver(Publication publication, EncodedFrames frames) {
		// One frame per publish, shared by every Socket.IO recipient (offset string too).
		Frame frame = frames.encoded(Frame.class, (event) -> Frame.of(this.server, event));
		synchronized (this) {
			if (this.recent.size() == RECENT) {
				this.recent.removeFirst();
			}
			this.recent.addLast(frame.offset());
			this.delivered++;
		}
		this.socket.send(frame.packet());
	}

	/** The last deliveries (oldest first), and whether that is every delivery so far. */
	synchronized Recent recent() {
		return new Recent(new ArrayList<>(this.recent), this.delivered == this.recent.size());
	}

	@Override
	public boolean isClosed() {
		return this.closed || !this.socket.connected();
	}

	void markClosed() {
		this.closed = true;
	}

	@Override
	public void close(CloseCode code, String reason) {
		this.closed = true;
		if (code.reconnect()) {
			// The whole Engine.IO session goes, so the client reconnects (and recovers).
			this.socket.close();
		}
		else {
			// "io server disconnect": the client does not reconnect by itself.
			this.socket.disconnect();
		}
	}

	/**
	 * The order of the last deliveries.
	 *
	 * @param offsets offset strings, oldest first
	 * @param complete whether these are all the deliveries of the socket
	 */
	record Recent(List<String> offsets, boolean complete) {

	}

	/**
	 * A publication as Socket.IO sends it: event name, {@code data}, then the offset.
	 *
	 * @param packet the encoded packet
	 * @param offset the offset string (its last argument)
	 */
	record Frame(SioPacket packet, String offset) {

		static Frame of(SocketIoServer server, Publication publication) {
			String offset = offsetOf(publication.event().channel(), publication.offset());
			return new Frame(server.encodeRawEvent("/", publication.event().type(),
					HubJson.write(publication.event().data()), HubJson.write(offset)), offset);
		}

	}

}
