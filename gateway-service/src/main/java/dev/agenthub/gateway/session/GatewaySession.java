package dev.agenthub.gateway.session;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.subscription.EncodedFrames;
import dev.agenthub.gateway.subscription.Subscriber;
import dev.agenthub.gateway.subscription.SubscriptionState;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.socket.SocketConnection;

/**
 * One browser connection: who it is, its client id and what it subscribes to. A raw
 * WebSocket goes over the shared {@link SocketConnection} mechanics (bounded outbound
 * queue, rate limit); a Socket.IO socket over its own {@link Outbound}. Features see the
 * same session either way.
 */
public final class GatewaySession implements Subscriber {

	private final String id = UUID.randomUUID().toString();

	private final SocketConnection connection;

	private final Outbound outbound;

	private final GatewayMetrics metrics;

	private final Map<String, SubscriptionState> subscriptions = new ConcurrentHashMap<>();

	private volatile HubPrincipal principal;

	private volatile String clientId;

	GatewaySession(SocketConnection connection, GatewayMetrics metrics) {
		this.connection = connection;
		this.outbound = new RawOutbound(connection);
		this.metrics = metrics;
	}

	GatewaySession(Outbound outbound, GatewayMetrics metrics) {
		this.connection = null;
		this.outbound = outbound;
		this.metrics = metrics;
	}

	/** This connection's id (unique per connection). */
	public String id() {
		return this.id;
	}

	/** The client id: the {@code x-client-id} header or a generated one. */
	public String clientId() {
		return this.clientId;
	}

	void clientId(String clientId) {
		this.clientId = clientId;
	}

	/** Who authenticated on this connection, or {@code null} before authentication. */
	public HubPrincipal principal() {
		return this.principal;
	}

	void authenticated(HubPrincipal principal) {
		this.principal = principal;
	}

	/** The channels this connection is on, implicit ones included. */
	public Map<String, SubscriptionState> subscriptions() {
		return this.subscriptions;
	}

	/** The raw WebSocket's mechanics, or {@code null} for a Socket.IO socket. */
	SocketConnection connection() {
		return this.connection;
	}

	/** Queues a control message (reply, error). */
	public void send(ServerMessage message) {
		this.metrics.messageOut();
		this.outbound.send(message);
	}

	@Override
	public void deliver(Publication publication, EncodedFrames frames) {
		this.metrics.messageOut();
		this.outbound.deliver(publication, frames);
	}

	/**
	 * Sends an event a recovery replays (bounded by
	 * {@code hub.gateway.recovery-max-events}); it does not count against the slow-reader
	 * bound.
	 */
	public void replay(Publication publication, EncodedFrames frames) {
		this.metrics.messageOut();
		this.outbound.replay(publication, frames);
	}

	/** Queues an encoded frame, shared with other recipients; closes a slow reader. */
	public void sendFrame(byte[] utf8) {
		this.metrics.messageOut();
		this.connection.sendFrame(utf8);
	}

	/** Whether the connection was closed. */
	public boolean isClosed() {
		return this.outbound.isClosed();
	}

	/** Closes the connection with a catalogued code (once). */
	public void close(CloseCode code, String reason) {
		this.outbound.close(code, reason);
	}

	/** Where a session's messages go: one implementation per protocol. */
	interface Outbound extends Subscriber {

		/** Queues a control message (reply, error, notice). */
		void send(ServerMessage message);

		boolean isClosed();

		void close(CloseCode code, String reason);

		/** Sends a replayed event; by default like a live one. */
		default void replay(Publication publication, EncodedFrames frames) {
			deliver(publication, frames);
		}

	}

	private record RawOutbound(SocketConnection connection) implements Outbound {

		@Override
		public void send(ServerMessage message) {
			this.connection.send(message);
		}

		@Override
		public void deliver(Publication publication, EncodedFrames frames) {
			this.connection.sendFrame(frames.raw());
		}

		@Override
		public void replay(Publication publication, EncodedFrames frames) {
			this.connection.sendReplayFrame(frames.raw());
		}

		@Override
		public boolean isClosed() {
			return this.connection.isClosed();
		}

		@Override
		public void close(CloseCode code, String reason) {
			this.connection.close(code, reason);
		}

	}

	/**
	 * Hooks features attach to the connection lifecycle (presence, metrics); every bean
	 * of this type is called. Calls must not block: they run on event-loop threads.
	 */
	public interface SessionListener {

		/** A slow reader is about to be closed. */
		default void slowReader() {
		}

		/** A connection authenticated (its implicit channels are live). */
		default void authenticated(GatewaySession session) {
		}

		/** A connection ended (for any reason); called once. */
		default void closed(GatewaySession session) {
		}

		/** The node's heartbeat timer ticked (every few seconds). */
		default void heartbeat() {
		}

	}

}
