package dev.agenthub.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.subscription.Subscriber;
import dev.agenthub.gateway.subscription.SubscriptionState;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.connection.EncodedEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One authenticated browser connection, whatever its transport: its {@link Connection}
 * (identity, the way out) and the channels it is on. Features (subscriptions, presence,
 * sync, commands) see the same session for a raw WebSocket and a Socket.IO socket.
 */
public final class GatewaySession implements Subscriber {

	private final Connection connection;

	private final String resumeId;

	/** A table of 8: the implicit channels and a few more before it grows. */
	private final Map<String, SubscriptionState> subscriptions = new ConcurrentHashMap<>(4);

	private boolean serverSide;

	private String watching;

	/**
	 * When the claim on its client id began (epoch millis; 0: no bound): what was sent to
	 * the id before is not this connection's.
	 */
	private long clientSince;

	/** The presence status this connection last announced; {@code null}: none yet. */
	private volatile @Nullable String presence;

	GatewaySession(Connection connection, String resumeId) {
		this.connection = connection;
		this.resumeId = resumeId;
	}

	/** This connection's id (unique per connection). */
	public String id() {
		return this.connection.id();
	}

	/** The client id (unique among its user's connections). */
	public String clientId() {
		return this.connection.clientId();
	}

	/**
	 * When the claim on this connection's client id began, or {@code null} when its
	 * {@code client:} channel's history is all its own (a fresh id the hub handed out, or
	 * one nobody could guess). A client id's former holder, whose claim lapsed, may have
	 * been sent things: they are not this connection's ({@link ClientIdClaims}).
	 */
	public @Nullable Instant clientSince() {
		return (this.clientSince == 0) ? null : Instant.ofEpochMilli(this.clientSince);
	}

	void clientSince(@Nullable Instant since) {
		this.clientSince = (since == null) ? 0 : Math.max(1, since.toEpochMilli());
	}

	/**
	 * The presence status this connection last announced, or {@code null} before it
	 * announced one.
	 */
	public @Nullable String presence() {
		return this.presence;
	}

	/** Records the presence status this connection announced. */
	public void presence(String status) {
		this.presence = status;
	}

	/** Who authenticated on this connection. */
	public HubPrincipal principal() {
		return this.connection.principal();
	}

	public Connection connection() {
		return this.connection;
	}

	/**
	 * The Socket.IO recovery id ({@code pid}) under which the connection's position is
	 * kept when it drops, or {@code null} for a raw WebSocket.
	 */
	String resumeId() {
		return this.resumeId;
	}

	/** Whether the hub subscribes the connection to its workspaces' channels on open. */
	boolean serverSide() {
		return this.serverSide;
	}

	void serverSide(boolean serverSide) {
		this.serverSide = serverSide;
	}

	/** The one workspace the connection asked to watch, or {@code null} for all. */
	String watching() {
		return this.watching;
	}

	void watching(String workspaceId) {
		this.watching = workspaceId;
	}

	/** The channels this connection is on, implicit ones included. */
	public Map<String, SubscriptionState> subscriptions() {
		return this.subscriptions;
	}

	/** Queues a control message (reply, error). */
	public void send(ServerMessage message) {
		this.connection.send(message);
	}

	@Override
	public boolean deliver(EncodedEvent event) {
		return this.connection.deliver(event);
	}

	/**
	 * Sends the events a recovery replays, as fast as the client reads, within the same
	 * outbound bound as live events.
	 */
	public Mono<Void> replay(List<Publication> events) {
		return this.connection.replay((this.clientSince == 0) ? events : ownOnly(events));
	}

	/** The events without those sent to this client id before its claim began. */
	private List<Publication> ownOnly(List<Publication> events) {
		String own = Channel.client(clientId()).name();
		return events.stream()
			.filter((event) -> !own.equals(event.event().channel())
					|| event.event().timestamp().toEpochMilli() >= this.clientSince)
			.toList();
	}

	/** Whether the connection was closed. */
	public boolean isClosed() {
		return this.connection.isClosed();
	}

	/** Closes the connection with a catalogued code (once). */
	public void close(CloseCode code, String reason) {
		this.connection.close(code, reason);
	}

	@Override
	public String toString() {
		return "GatewaySession " + id();
	}

	/**
	 * Hooks features attach to the connection lifecycle (presence, metrics); every bean
	 * of this type is called. Calls must not block: they run on event-loop threads.
	 */
	public interface SessionListener {

		/** A connection authenticated (its implicit channels are live). */
		default void authenticated(GatewaySession session) {
		}

		/**
		 * A connection's token was refreshed in band: the same subject, whose workspaces
		 * may differ from its former token's.
		 */
		default void refreshed(GatewaySession session) {
		}

		/** A connection ended (for any reason); called once. */
		default void closed(GatewaySession session) {
		}

		/** The node's heartbeat timer ticked (every few seconds). */
		default void heartbeat() {
		}

	}

}
