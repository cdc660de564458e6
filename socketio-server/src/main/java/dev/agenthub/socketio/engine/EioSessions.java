package dev.agenthub.socketio.engine;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.QueryCredential;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.util.CollectionUtils;
import org.springframework.util.MultiValueMap;

/** The bounded set of open Engine.IO sessions of one endpoint, and their handshake. */
public final class EioSessions {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Logger logger = LoggerFactory.getLogger(EioSessions.class);

	private final SocketIoConfig config;

	private final EioApplication application;

	private final SocketIoMetrics metrics;

	private final Scheduler timer;

	/**
	 * The query parameters of the Engine.IO protocol itself (version, transport, session
	 * id, the polling cache buster, base64 and JSONP of older clients).
	 */
	private static final java.util.Set<String> ENGINE_PARAMETERS = java.util.Set.of("EIO", "transport", "sid", "t",
			"b64", "j");

	private static final MultiValueMap<String, String> NO_QUERY = CollectionUtils
		.unmodifiableMultiValueMap(CollectionUtils.toMultiValueMap(Map.of()));

	private final Map<String, EioSession> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger count = new AtomicInteger();

	private volatile boolean shutDown;

	public EioSessions(SocketIoConfig config, EioApplication application, SocketIoMetrics metrics, Scheduler timer) {
		this.config = config;
		this.application = application;
		this.metrics = metrics;
		this.timer = timer;
		long sweep = Heartbeat.sweepPeriod(config);
		timer.schedulePeriodically(this::sweepHeartbeats, sweep, sweep, TimeUnit.NANOSECONDS);
	}

	/**
	 * Every session's heartbeat, in one task on the timer (until the timer is disposed
	 * with the server): one pass over the sessions every {@link Heartbeat#sweepPeriod},
	 * instead of a scheduled task per session.
	 */
	private void sweepHeartbeats() {
		long now = System.nanoTime();
		for (EioSession session : this.sessions.values()) {
			try {
				session.heartbeatTick(now);
			}
			catch (RuntimeException ex) {
				logger.warn("Heartbeat of session {} failed", session.id(), ex);
			}
		}
	}

	public SocketIoConfig config() {
		return this.config;
	}

	/**
	 * The open session, or {@code null}: one whose pong is overdue is closed now (a
	 * request must not find it alive between two heartbeat sweeps).
	 */
	public @Nullable EioSession get(String sid) {
		EioSession session = this.sessions.get(sid);
		return (session != null && session.heartbeatTick(System.nanoTime())) ? null : session;
	}

	public int size() {
		return this.count.get();
	}

	/**
	 * Open a session. For a direct WebSocket the open packet is queued first; for polling
	 * the caller answers the handshake with {@link #openPacket}.
	 * @throws EioRequestException with {@link EioError#TOO_MANY_SESSIONS} at capacity
	 */
	public EioSession open(HttpHeaders headers, MultiValueMap<String, String> query,
			@Nullable InetSocketAddress remoteAddress, @Nullable WsOutbound directWebSocket) {
		if (this.count.incrementAndGet() > this.config.maxSessions() || this.shutDown) {
			this.count.decrementAndGet();
			this.metrics.sessionRejected();
			throw EioError.TOO_MANY_SESSIONS.exception();
		}
		String sid = newId();
		String credential = query.getFirst(HandshakeInfo.CREDENTIAL);
		if (credential == null) {
			credential = headers.getFirst(HandshakeInfo.CREDENTIAL_HEADER);
		}
		HandshakeInfo handshake = new HandshakeInfo(sid, kept(headers), compact(query),
				(credential != null) ? new QueryCredential(credential) : null, remoteAddress);
		EioSession.Transport transport = (directWebSocket != null) ? EioSession.Transport.WEBSOCKET
				: EioSession.Transport.POLLING;
		EioSession session = new EioSession(sid, this.config, handshake, transport, this.timer, this.metrics,
				this::remove);
		this.sessions.put(sid, session);
		if (directWebSocket != null) {
			session.send(EioFrame.text(openPacket(session)));
		}
		this.metrics.sessionOpened(transport.wireName());
		session.start(this.application, directWebSocket);
		return session;
	}

	/** The open packet: {@code 0{"sid":...,"upgrades":[...],...}}. */
	public String openPacket(EioSession session) {
		String upgrades = (session.transport() == EioSession.Transport.POLLING) ? "[\"websocket\"]" : "[]";
		return "0{\"sid\":\"" + session.id() + "\",\"upgrades\":" + upgrades + ",\"pingInterval\":"
				+ this.config.pingInterval().toMillis() + ",\"pingTimeout\":" + this.config.pingTimeout().toMillis()
				+ ",\"maxPayload\":" + this.config.maxPayload() + "}";
	}

	/**
	 * Throws {@link EioError#TOO_MANY_SESSIONS} when a new session would be refused.
	 */
	public void checkCapacity() {
		if (this.shutDown || this.count.get() >= this.config.maxSessions()) {
			this.metrics.sessionRejected();
			throw EioError.TOO_MANY_SESSIONS.exception();
		}
	}

	/** Take new sessions again after a {@link #shutdown} (a lifecycle restarted). */
	public void reopen() {
		this.shutDown = false;
	}

	/** The handshake headers a session keeps (a copy: the request is not held). */
	private HttpHeaders kept(HttpHeaders headers) {
		java.util.Set<String> names = this.config.keptHeaders();
		if (names == null) {
			HttpHeaders all = HttpHeaders.copyOf(headers);
			all.remove(HandshakeInfo.CREDENTIAL_HEADER);
			return HttpHeaders.readOnlyHttpHeaders(all);
		}
		HttpHeaders kept = null;
		for (String name : names) {
			java.util.List<String> values = HandshakeInfo.CREDENTIAL_HEADER.equalsIgnoreCase(name) ? null
					: headers.get(name);
			if (values != null) {
				kept = (kept != null) ? kept : new HttpHeaders();
				kept.addAll(name, values);
			}
		}
		// most sessions keep none: one shared empty instance, not two maps each
		return (kept != null) ? HttpHeaders.readOnlyHttpHeaders(kept) : HttpHeaders.EMPTY;
	}

	/**
	 * The handshake's query as the session keeps it for its life (a namespace may connect
	 * later and read it): without Engine.IO's own parameters, which serve the request and
	 * nothing after it, nor the {@link HandshakeInfo#CREDENTIAL} (held apart, until it is
	 * checked, as a {@link QueryCredential}), in immutable compact collections (the
	 * request's own map is a linked hash map of lists). Most clients send nothing else
	 * (socket.io-client passes its token in the CONNECT packet's {@code auth}): those
	 * sessions share one empty map instead of keeping half a kilobyte each.
	 */
	static MultiValueMap<String, String> compact(MultiValueMap<String, String> query) {
		java.util.Map<String, java.util.List<String>> copy = new java.util.HashMap<>(query.size() * 2);
		// (a parameter without a value has a null one: no List.copyOf)
		query.forEach((name, values) -> {
			if (!ENGINE_PARAMETERS.contains(name) && !HandshakeInfo.CREDENTIAL.equals(name)) {
				copy.put(name, java.util.Collections.unmodifiableList(new ArrayList<>(values)));
			}
		});
		return copy.isEmpty() ? NO_QUERY : CollectionUtils
			.unmodifiableMultiValueMap(CollectionUtils.toMultiValueMap(java.util.Map.copyOf(copy)));
	}

	/** Refuse new sessions from now on, and close every open one. */
	public void shutdown(DisconnectReason reason) {
		this.shutDown = true;
		closeAll(reason);
	}

	/** Close every session. */
	public void closeAll(DisconnectReason reason) {
		for (EioSession session : new ArrayList<>(this.sessions.values())) {
			session.close(reason);
		}
	}

	private void remove(EioSession session) {
		if (this.sessions.remove(session.id(), session)) {
			this.count.decrementAndGet();
		}
	}

	/** A 20-character URL-safe random id, like the reference server's. */
	public static String newId() {
		byte[] bytes = new byte[15];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
