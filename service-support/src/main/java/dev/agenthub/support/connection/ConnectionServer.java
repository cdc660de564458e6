package dev.agenthub.support.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.QueryCredential;
import dev.agenthub.socketio.SocketIoServer;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.limit.Shares;
import dev.agenthub.support.logging.ThrottledWarning;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The connection core of one ingress: serves its raw WebSockets
 * ({@link WebSocketServing}, routed by {@link RawSockets}) and its Socket.IO sockets
 * ({@link #socketIo}) through one {@link Connection} type and one inbound pipeline, keeps
 * them alive with one timer for the whole node (pings, the idle timeout, token expiry),
 * and drains them on shutdown (1001).
 *
 * @param <S> the ingress's session type
 */
public final class ConnectionServer<S> {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionServer.class);

	private final Ingress<S> ingress;

	private final HubTokenVerifier verifier;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final OpeningLimit openingLimit;

	/** Each subject's connections on this node (authenticated, not yet ended). */
	private final Shares subjects;

	/**
	 * Connects refused because the engine is unavailable: a crowd reconnecting while
	 * Redis is down is a few lines of the log, not one per client.
	 */
	private final ThrottledWarning notOpened = new ThrottledWarning(logger, Duration.ofSeconds(10));

	/** Messages not handled because the engine is unavailable (a crowd's subscribes). */
	private final ThrottledWarning notHandled = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private volatile boolean draining;

	private volatile Disposable timer;

	private volatile SocketIoServer socketIoServer;

	public ConnectionServer(Ingress<S> ingress, HubTokenVerifier verifier) {
		this.ingress = ingress;
		this.verifier = verifier;
		this.openingLimit = new OpeningLimit(ingress.limits().maxOpening());
		this.subjects = new Shares(ingress.limits().maxPerSubject());
	}

	public Ingress<S> ingress() {
		return this.ingress;
	}

	HubTokenVerifier verifier() {
		return this.verifier;
	}

	/** The Socket.IO server whose sockets this core serves (it encodes their events). */
	public void socketIoServer(SocketIoServer server) {
		this.socketIoServer = server;
	}

	SocketIoServer socketIoServer() {
		return this.socketIoServer;
	}

	/** Counts a connection in (it is served until {@link #forget}). */
	void register(Connection connection) {
		this.connections.add(connection);
	}

	/** Every open connection of this ingress on this node. */
	public Collection<Connection> connections() {
		return this.connections;
	}

	/** Whether new connections are refused (shutting down). */
	public boolean draining() {
		return this.draining;
	}

	/** Whether a new connection may be taken now (not draining, not saturated). */
	public boolean admits() {
		ConnectionLimits limits = this.ingress.limits();
		return !this.draining && this.connections.size() < limits.maxConnections()
				&& this.openingLimit.admits(limits.maxOpening());
	}

	/** Each subject's share of this node's connections. */
	ThrottledWarning notOpened() {
		return this.notOpened;
	}

	ThrottledWarning notHandled() {
		return this.notHandled;
	}

	Shares subjects() {
		return this.subjects;
	}

	/**
	 * Whether a principal may open another connection here, for a Socket.IO namespace
	 * deciding on a CONNECT (the socket is counted once it connects, so two CONNECTs of
	 * one subject at once may both pass for its last place).
	 * @return {@code null} when it may, or the {@code connect_error} that refuses it
	 */
	public @Nullable ConnectDecision refusesSubject(HubPrincipal principal) {
		if (this.subjects.admits(principal.subject())) {
			return null;
		}
		ObjectNode data = HubJson.object();
		data.put("code", ErrorCode.RATE_LIMITED.code());
		data.put("error", tooMany(principal));
		data.put("retryAfter", Admission.retryAfterSeconds());
		return ConnectDecision.reject("Too many connections", data);
	}

	/**
	 * The Socket.IO refusal of a node that takes no new connection now (draining or
	 * saturated), or {@code null} when it {@link #admits}: the {@code connect_error}
	 * carries {@code retryAfter} (seconds) for the client to back off with jitter.
	 */
	public @Nullable ConnectDecision refusesSocketIo() {
		if (admits()) {
			return null;
		}
		ObjectNode data = HubJson.object();
		data.put("code", ErrorCode.UNAVAILABLE.code());
		data.put("error", this.draining ? "server shutting down" : "this node is at capacity");
		data.put("retryAfter", Admission.retryAfterSeconds());
		return ConnectDecision.reject(this.draining ? "Server shutting down" : "Server busy", data);
	}

	/** Why a subject's connection is refused. */
	String tooMany(HubPrincipal principal) {
		return principal.subject() + " has " + this.subjects.perKey()
				+ " connections on this node already, the most one subject may have; close one and retry";
	}

	/**
	 * Brackets the authentication and opening of a connection (admission control: the
	 * opens allowed at once follow how fast they complete, {@link OpeningLimit}). The
	 * node's part ends early where the open waits for the client to read
	 * ({@link Connection#replay}).
	 */
	<T> Mono<T> opening(Connection connection, Mono<T> work) {
		return this.openingLimit.bracket((release) -> {
			connection.whileOpening(release);
			return work.doFinally((signal) -> connection.whileOpening(null));
		}, () -> this.ingress.limits().maxOpening());
	}

	/**
	 * The principal of a Socket.IO CONNECT: its {@code auth}'s token, else the one its
	 * session's handshake query carried — checked once per session, then held only as the
	 * principal (re-checked for expiry at each later CONNECT) — or empty when it has
	 * neither. A refused token is an error saying why.
	 */
	public Mono<HubPrincipal> socketIoPrincipal(HandshakeInfo handshake, JsonNode auth) {
		String token = auth.path("token").asString(null);
		if (token != null) {
			return token.isBlank() ? Mono.empty() : this.verifier.verify(token);
		}
		QueryCredential credential = handshake.credential();
		if (credential == null) {
			return Mono.empty();
		}
		return credential.check(HubPrincipal.class,
				(queried) -> queried.isBlank() ? Mono.error(new IllegalArgumentException("the query's token is blank"))
						: this.verifier.verify(queried))
			.flatMap((principal) -> principal.expiredAt(Instant.now())
					? Mono.error(new IllegalStateException("the token expired at " + principal.expiresAt()))
					: Mono.just(principal));
	}

	/**
	 * A listener for a Socket.IO socket accepted for an authenticated principal (the
	 * namespace verified the CONNECT's token and decided on recovery).
	 * @param principal who connected
	 * @param context what the namespace decided (passed to {@link Ingress#open})
	 */
	public SocketListener socketIo(HubPrincipal principal, @Nullable Object context) {
		return new SocketIoListener<>(this, principal, context);
	}

	/** Refuses new connections and closes every open one with 1001. */
	public void drain() {
		this.draining = true;
		for (Connection connection : this.connections) {
			connection.close(CloseCode.GOING_AWAY, "server is shutting down");
		}
	}

	/**
	 * Drains, then waits until every connection has closed and its close handling has
	 * begun (what the ingress does when a connection ends, e.g. presence), so that it
	 * runs while the engine is still there, not after the node closed it.
	 * @param timeout the longest wait
	 * @return whether all closed in time
	 */
	public boolean drain(Duration timeout) {
		drain();
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.connections) {
			while (!this.connections.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					logger.warn("{} connections still open after draining for {}", this.connections.size(), timeout);
					return false;
				}
				try {
					this.connections.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

	/** Counts a closed connection out (a drain waits for none to be left). */
	void forget(Connection connection) {
		this.connections.remove(connection);
		if (this.draining && this.connections.isEmpty()) {
			synchronized (this.connections) {
				this.connections.notifyAll();
			}
		}
	}

	/**
	 * Starts the node's heartbeat timer and takes connections (again, after a stop: a
	 * lifecycle may be stopped and restarted, as Spring's test contexts are when paused).
	 */
	public void start() {
		this.draining = false;
		ConnectionLimits limits = this.ingress.limits();
		Duration tick = limits.heartbeats() ? min(Duration.ofSeconds(5), limits.idleTimeout().dividedBy(4))
				: Duration.ofSeconds(5);
		long pingEvery = limits.heartbeats() ? Math.max(1, limits.pingInterval().toNanos() / tick.toNanos()) : 0;
		this.timer = Flux.interval(tick, tick).subscribe((n) -> sweep(pingEvery > 0 && (n + 1) % pingEvery == 0));
	}

	/** Stops the timer. */
	public void stop() {
		Disposable current = this.timer;
		if (current != null) {
			current.dispose();
		}
		this.timer = null;
	}

	private void sweep(boolean ping) {
		ConnectionLimits limits = this.ingress.limits();
		long now = System.nanoTime();
		Instant wallClock = Instant.now();
		long idle = limits.idleTimeout().toNanos();
		for (Connection connection : this.connections) {
			try {
				HubPrincipal principal = connection.principal();
				if (principal != null && principal.expiredAt(wallClock)) {
					connection.send(
							ServerMessage.error(ErrorCode.TOKEN_EXPIRED,
									"the token expired at " + principal.expiresAt()
											+ "; refresh it in-band: {\"type\":\"auth\",\"data\":{\"token\":...}}",
									null));
					connection.close(CloseCode.UNAUTHORIZED, "token expired");
					continue;
				}
				if (!limits.heartbeats() || connection.transport().ownHeartbeats()) {
					continue;
				}
				if (now - connection.lastSeenNanos() > idle) {
					connection.close(CloseCode.HEARTBEAT_TIMEOUT,
							"no message for " + limits.idleTimeout().toSeconds() + " s");
				}
				else if (ping && connection.isOpen()) {
					connection.heartbeat();
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Heartbeat of {} failed", connection.id(), ex);
			}
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
