package dev.agenthub.socketio.namespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.socketio.Ack;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioPacket;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.parser.SioEncoder;
import dev.agenthub.socketio.parser.SioJson;
import dev.agenthub.socketio.parser.SioPacketType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/** A socket of one namespace on one Engine.IO session. */
final class DefaultSioSocket implements SioSocket {

	private static final Logger logger = LoggerFactory.getLogger(DefaultSioSocket.class);

	/** Bounds the acknowledgements a socket may wait for at once. */
	static final int MAX_PENDING_ACKS = 1024;

	/**
	 * Events a socket may send before its listener's onConnect ran (see {@link #early}).
	 */
	static final int MAX_EARLY_EVENTS = 32;

	private final String id;

	private final String namespace;

	private final EioSession session;

	/** What it keeps of its CONNECT's auth; {@code null} for none (most sockets). */
	private final @Nullable JsonNode auth;

	private final @Nullable String pid;

	private final boolean recovered;

	private final SocketListener listener;

	private final SioClient client;

	private final Scheduler notifier;

	// Plain fields under one lock, not atomics and a concurrent map made up front: an
	// idle socket is one of tens of thousands, and most never await an acknowledgement.

	/** Set to false once, under {@link #lock}; read without it. */
	private volatile boolean connected = true;

	/** Acknowledgements awaited, by id (guarded by {@link #lock}); made on first use. */
	private @Nullable Map<Long, MonoSink<List<JsonNode>>> acks;

	private long nextAckId;

	private final Object lock = new Object();

	/**
	 * Events that came before the listener's onConnect ran (guarded by this): the CONNECT
	 * reply goes out first, so a quick client's first event can overtake onConnect.
	 * {@code null} once it ran.
	 */
	private @Nullable List<SioEvent> early = new ArrayList<>(0);

	DefaultSioSocket(String id, String namespace, EioSession session, @Nullable JsonNode auth, @Nullable String pid,
			boolean recovered, SocketListener listener, SioClient client, Scheduler notifier) {
		this.id = id;
		this.namespace = namespace;
		this.session = session;
		this.auth = auth;
		this.pid = pid;
		this.recovered = recovered;
		this.listener = listener;
		this.client = client;
		this.notifier = notifier;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String namespace() {
		return this.namespace;
	}

	@Override
	public HandshakeInfo handshake() {
		return this.session.handshake();
	}

	@Override
	public JsonNode auth() {
		return (this.auth != null) ? this.auth : SioJson.NODES.objectNode();
	}

	@Override
	public @Nullable String pid() {
		return this.pid;
	}

	@Override
	public boolean recovered() {
		return this.recovered;
	}

	@Override
	public boolean connected() {
		return this.connected;
	}

	@Override
	public boolean emit(String event, JsonNode... args) {
		return connected() && this.session
			.send(SioEncoder.encode(SioPacketType.EVENT, this.namespace, null, SioEncoder.eventPayload(event, args)));
	}

	@Override
	public boolean send(SioPacket packet) {
		if (!this.namespace.equals(packet.namespace())) {
			throw new IllegalArgumentException(
					"packet encoded for namespace " + packet.namespace() + ", socket is on " + this.namespace);
		}
		return connected() && this.session.send(packet.frames());
	}

	@Override
	public Mono<List<JsonNode>> emitWithAck(Duration timeout, String event, JsonNode... args) {
		Mono<List<JsonNode>> reply = Mono.create((sink) -> {
			if (!connected()) {
				sink.error(new IllegalStateException("socket " + this.id + " is disconnected"));
				return;
			}
			long ackId = -1;
			synchronized (this.lock) {
				if (this.acks == null) {
					this.acks = new HashMap<>(4);
				}
				if (this.acks.size() < MAX_PENDING_ACKS) {
					ackId = this.nextAckId++;
					this.acks.put(ackId, sink);
				}
			}
			if (ackId < 0) {
				sink.error(new IllegalStateException("too many acknowledgements pending on socket " + this.id));
				return;
			}
			long id = ackId;
			sink.onDispose(() -> takeAck(id));
			boolean sent = this.session
				.send(SioEncoder.encode(SioPacketType.EVENT, this.namespace, id, SioEncoder.eventPayload(event, args)));
			if (!sent) {
				sink.error(new IllegalStateException("socket " + this.id + " is disconnected"));
			}
		});
		return reply.timeout(timeout, Mono.error(() -> new TimeoutException("no acknowledgement within " + timeout)));
	}

	@Override
	public long pendingOutboundBytes() {
		return this.session.queuedBytes();
	}

	@Override
	public void flush() {
		this.session.flush();
	}

	@Override
	public void holdInput() {
		this.session.input().hold();
	}

	@Override
	public void releaseInput() {
		this.session.input().release();
	}

	@Override
	public void disconnect() {
		if (connected()) {
			this.session.send(SioEncoder.encode(SioPacketType.DISCONNECT, this.namespace, null, null));
			this.client.remove(this, DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
		}
	}

	@Override
	public void close() {
		this.session.close(DisconnectReason.FORCED_CLOSE);
	}

	// Inbound calls hold the socket's monitor so the listener sees them one at a time,
	// even when onConnect runs on the thread that completed the handler's Mono.

	synchronized void fireConnect() {
		if (!connected()) {
			// Disconnected before its connect could be told (the session closed while the
			// namespace decided): the listener hears of neither. Told the connect now, it
			// would keep a socket whose disconnect it was already told of, or never will
			// be.
			return;
		}
		try {
			this.listener.onConnect(this);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of socket {} on {} failed in onConnect", this.id, this.namespace, ex);
		}
		List<SioEvent> waiting = this.early;
		this.early = null;
		if (waiting != null && !this.session.isClosed()) {
			waiting.forEach(this::deliver);
		}
	}

	synchronized void fireEvent(String name, List<JsonNode> args, @Nullable Long ackId, int bytes) {
		if (!connected()) {
			return;
		}
		SioEvent event = new SioEvent(name, args, (ackId != null) ? ack(ackId) : null, bytes);
		List<SioEvent> waiting = this.early;
		if (waiting == null) {
			deliver(event);
		}
		else if (waiting.size() < MAX_EARLY_EVENTS) {
			waiting.add(event);
		}
		else {
			// a client may send a few events right behind its CONNECT, not a flood
			logger.debug("Socket {} on {} sent more than {} events before it was connected", this.id, this.namespace,
					MAX_EARLY_EVENTS);
			waiting.clear();
			this.session.close(DisconnectReason.TOO_MANY_PACKETS);
		}
	}

	private void deliver(SioEvent event) {
		try {
			this.listener.onEvent(this, event);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of socket {} on {} failed on event {}", this.id, this.namespace, event.name(), ex);
		}
	}

	/** An acknowledgement came; {@code false} when nobody awaited it. */
	boolean fireAck(long ackId, List<JsonNode> args) {
		MonoSink<List<JsonNode>> sink = takeAck(ackId);
		if (sink != null) {
			sink.success(args);
		}
		return sink != null;
	}

	/** Removes an awaited acknowledgement; the map goes with the last one. */
	private @Nullable MonoSink<List<JsonNode>> takeAck(long ackId) {
		synchronized (this.lock) {
			if (this.acks == null) {
				return null;
			}
			MonoSink<List<JsonNode>> sink = this.acks.remove(ackId);
			if (this.acks.isEmpty()) {
				this.acks = null;
			}
			return sink;
		}
	}

	/**
	 * Mark disconnected now and tell the listener once, later on the timer thread.
	 * Deferred because the caller may hold another socket's monitor (a listener of socket
	 * A closing or overflowing socket B while B's listener does the same to A would
	 * deadlock if this ran inline).
	 */
	void fireDisconnect(DisconnectReason reason) {
		List<MonoSink<List<JsonNode>>> waiting;
		synchronized (this.lock) {
			if (!this.connected) {
				return;
			}
			this.connected = false;
			waiting = (this.acks != null) ? new ArrayList<>(this.acks.values()) : List.of();
			this.acks = null;
		}
		for (MonoSink<List<JsonNode>> sink : waiting) {
			sink.error(new IllegalStateException("socket " + this.id + " disconnected: " + reason.wireName()));
		}
		try {
			this.notifier.schedule(() -> notifyDisconnect(reason));
		}
		catch (RejectedExecutionException ex) {
			// the server is shut down: no other thread is left to race with
			notifyDisconnect(reason);
		}
	}

	private synchronized void notifyDisconnect(DisconnectReason reason) {
		if (this.early != null) {
			// its connect was never told (see fireConnect), nor will it be
			return;
		}
		try {
			this.listener.onDisconnect(this, reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of socket {} on {} failed in onDisconnect", this.id, this.namespace, ex);
		}
	}

	private Ack ack(long ackId) {
		AtomicBoolean sent = new AtomicBoolean();
		return (args) -> {
			if (sent.compareAndSet(false, true) && connected()) {
				this.session
					.send(SioEncoder.encode(SioPacketType.ACK, this.namespace, ackId, SioEncoder.ackPayload(args)));
			}
		};
	}

}
