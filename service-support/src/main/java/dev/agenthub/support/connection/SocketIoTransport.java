package dev.agenthub.support.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.socketio.Ack;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SioPacket;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketIoServer;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/**
 * A Socket.IO socket. Events go as the catalogue's event name with {@code data} and then
 * the offset ({@code "<channel>@<offset>"}, the string the official client keeps for
 * recovery), one packet per publish shared by every Socket.IO recipient. A request's
 * replies go to its ack; messages nobody asked for (notices, errors of requests without
 * ack) are emitted as events named after their type. The engine's session queue bounds
 * what waits for the client (overflow disconnects it). Remembers the order of the last
 * events sent, so that a reconnecting client's last offset tells where each channel
 * stood.
 */
public final class SocketIoTransport implements Transport {

	/** Deliveries remembered for recovery (channel and offset of each, in order). */
	public static final int RECENT = 512;

	/** Acks waiting for their reply, at most; more are answered at once. */
	private static final int MAX_ACKS = 128;

	/**
	 * Time for a last frame (the error saying why) to reach the engine before a close.
	 */
	private static final Duration CLOSE_GRACE = Duration.ofMillis(200);

	private final SioSocket socket;

	private final SocketIoServer server;

	private Map<Integer, Ack> acks;

	private ArrayDeque<String> recent;

	private long delivered;

	private int nextId;

	private volatile DisconnectReason disconnectReason;

	public SocketIoTransport(SioSocket socket, SocketIoServer server) {
		this.socket = socket;
		this.server = server;
	}

	public SioSocket socket() {
		return this.socket;
	}

	/** Why the socket went, or {@code null} while it is connected. */
	public DisconnectReason disconnectReason() {
		return this.disconnectReason;
	}

	void disconnected(DisconnectReason reason) {
		this.disconnectReason = reason;
	}

	/** The offset string of an event: what its recipients send back to recover. */
	public static String offsetOf(String channel, long offset) {
		return channel + "@" + offset;
	}

	/**
	 * Keeps a request's ack for its reply.
	 * @return the id replies to the request carry, or {@code null} when the ack was
	 * answered at once (too many waiting)
	 */
	synchronized Integer expectReply(Ack ack) {
		if (this.acks == null) {
			this.acks = new HashMap<>(4);
		}
		if (this.acks.size() >= MAX_ACKS) {
			ack.send(HubJson.object().put("ok", true));
			return null;
		}
		int id = ++this.nextId;
		this.acks.put(id, ack);
		return id;
	}

	@Override
	public void requestDone(JsonNode id) {
		Ack ack = takeAck(id);
		if (ack != null) {
			ack.send(HubJson.object().put("ok", true));
		}
	}

	private synchronized Ack takeAck(JsonNode id) {
		if (this.acks == null || !(id instanceof IntNode number)) {
			return null;
		}
		Ack ack = this.acks.remove(number.intValue());
		if (this.acks.isEmpty()) {
			// an idle socket keeps no map for the requests it made once
			this.acks = null;
		}
		return ack;
	}

	@Override
	public boolean send(ServerMessage message) {
		JsonNode data = (message.data() != null) ? message.data() : HubJson.object();
		Ack ack = takeAck(message.id());
		if (ack != null) {
			ack.send(data);
			return true;
		}
		return this.socket.emit(message.type(), data) || !this.socket.connected();
	}

	@Override
	public boolean deliver(EncodedEvent event) {
		Frame frame = event.encoded(Frame.class, (publication) -> Frame.of(this.server, this.socket, publication));
		synchronized (this) {
			if (this.recent == null) {
				this.recent = new ArrayDeque<>();
			}
			if (this.recent.size() == RECENT) {
				this.recent.removeFirst();
			}
			this.recent.addLast(frame.offset());
			this.delivered++;
		}
		return this.socket.send(frame.packet()) || !this.socket.connected();
	}

	/**
	 * Starts the order of deliveries at the offset a recovered client resumed from (its
	 * last event, sent by the socket before): the client names it again when it drops
	 * before this socket sent it anything. Called before the socket gets any event.
	 * @param offset the client's last offset string
	 */
	public synchronized void resumedAfter(String offset) {
		this.recent = new ArrayDeque<>();
		this.recent.addLast(offset);
		this.delivered++;
	}

	/** The last deliveries (oldest first), and whether that is every delivery so far. */
	public synchronized Recent recent() {
		List<String> offsets = (this.recent != null) ? new ArrayList<>(this.recent) : List.of();
		return new Recent(offsets, this.delivered == offsets.size());
	}

	@Override
	public long queuedBytes() {
		return this.socket.pendingOutboundBytes();
	}

	@Override
	public void flush() {
		this.socket.flush();
	}

	@Override
	public void ping() {
		// The engine runs its own heartbeat.
	}

	@Override
	public boolean ownHeartbeats() {
		return true;
	}

	@Override
	public void close(CloseCode code, String reason) {
		if (code == CloseCode.SLOW_READER) {
			this.socket.close();
			return;
		}
		// The engine drains a closing WebSocket only of what reached it: give the last
		// frames a moment to get there so the client learns why it is closed.
		Mono.delay(CLOSE_GRACE).subscribe((tick) -> {
			if (code.reconnect()) {
				// The whole Engine.IO session goes, so the client reconnects (and
				// recovers).
				this.socket.close();
			}
			else {
				// "io server disconnect": the client does not reconnect by itself.
				this.socket.disconnect();
			}
		});
	}

	/**
	 * The order of the last deliveries.
	 *
	 * @param offsets offset strings, oldest first
	 * @param complete whether these are all the deliveries of the socket
	 */
	public record Recent(List<String> offsets, boolean complete) {

	}

	/**
	 * A publication as Socket.IO sends it: event name, {@code data}, then the offset.
	 *
	 * @param packet the encoded packet
	 * @param offset the offset string (its last argument)
	 */
	record Frame(SioPacket packet, String offset) {

		static Frame of(SocketIoServer server, SioSocket socket, Publication publication) {
			String offset = offsetOf(publication.event().channel(), publication.offset());
			return new Frame(server.encodeRawEvent(socket.namespace(), publication.event().type(),
					HubJson.write(publication.event().data()), HubJson.write(offset)), offset);
		}

	}

}
