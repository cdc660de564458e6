package dev.agenthub.socketio.namespace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.SocketIoMetrics;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessionHandler;
import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.parser.BinaryReconstructor;
import dev.agenthub.socketio.parser.SioDecoder;
import dev.agenthub.socketio.parser.SioEncoder;
import dev.agenthub.socketio.parser.SioInboundPacket;
import dev.agenthub.socketio.parser.SioJson;
import dev.agenthub.socketio.parser.SioPacketType;
import dev.agenthub.socketio.parser.SioParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Socket.IO side of one Engine.IO session: decodes packets, connects namespaces
 * through their {@link NamespaceHandler}s and routes packets to the sockets. Any protocol
 * violation (bad packet, packet for a namespace that is not connected, duplicate CONNECT,
 * reserved event name, stray attachment) closes the session.
 */
final class SioClient implements EioSessionHandler {

	private static final Logger logger = LoggerFactory.getLogger(SioClient.class);

	private final EioSession session;

	private final Map<String, NamespaceHandler> handlers;

	private final SocketIoMetrics metrics;

	/**
	 * The connected sockets by namespace: an immutable map, replaced (under this client's
	 * lock) when a socket connects or leaves, read without a lock on every packet. A
	 * client is on one namespace or a few: two concurrent maps (and the tables they never
	 * give back) cost an idle connection 0.3 KB more.
	 */
	private volatile Map<String, DefaultSioSocket> sockets = Map.of();

	/** Namespaces whose CONNECT is being decided; guarded by this client's lock. */
	private Set<String> connecting = Set.of();

	/** Made by the first packet with attachments (few clients send binary). */
	private @Nullable BinaryReconstructor reconstructor;

	/** Until a namespace connects ({@code null} after: no finished task kept). */
	private volatile @Nullable Disposable connectTimeout;

	private final Scheduler timer;

	SioClient(EioSession session, Map<String, NamespaceHandler> handlers, SocketIoMetrics metrics, Scheduler timer) {
		this.session = session;
		this.handlers = handlers;
		this.metrics = metrics;
		this.timer = timer;
		this.connectTimeout = timer.schedule(this::onConnectTimeout, session.config().connectTimeout().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void onMessage(String data) {
		try {
			if (this.reconstructor != null && this.reconstructor.isPending()) {
				throw new SioParseException("text packet while binary attachments are expected");
			}
			SioInboundPacket packet = SioDecoder.decode(data, this.session.config().maxAttachments());
			if (packet.attachments() > 0) {
				if (this.reconstructor == null) {
					this.reconstructor = new BinaryReconstructor();
				}
				this.reconstructor.start(packet);
				return;
			}
			dispatch(packet);
		}
		catch (SioParseException ex) {
			protocolError(ex.getMessage());
		}
	}

	@Override
	public void onBinary(byte[] data) {
		try {
			if (this.reconstructor == null) {
				this.reconstructor = new BinaryReconstructor();
			}
			SioInboundPacket packet = this.reconstructor.add(data, this.session.config().maxPayload());
			if (packet != null) {
				dispatch(packet);
			}
		}
		catch (SioParseException ex) {
			protocolError(ex.getMessage());
		}
	}

	@Override
	public void onClose(DisconnectReason reason) {
		stopConnectTimeout();
		for (DefaultSioSocket socket : this.sockets.values()) {
			remove(socket, reason);
		}
	}

	private void dispatch(SioInboundPacket packet) {
		String namespace = packet.namespace();
		DefaultSioSocket socket = this.sockets.get(namespace);
		if (packet.type() == SioPacketType.CONNECT) {
			if (socket != null || !startConnecting(namespace)) {
				throw new SioParseException("duplicate CONNECT for " + namespace);
			}
			// each costs the handler a decision (a token to verify): a client retrying
			// refused CONNECTs in a loop is counted like a flood of pongs
			if (!this.session.controlPacket()) {
				doneConnecting(namespace);
				return;
			}
			connect(namespace, packet.data());
			return;
		}
		if (socket == null) {
			throw new SioParseException(packet.type() + " for namespace " + namespace + " before CONNECT");
		}
		switch (packet.type()) {
			case DISCONNECT -> remove(socket, DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
			case EVENT, BINARY_EVENT -> {
				JsonNode data = packet.data();
				List<JsonNode> args = new ArrayList<>(data.size() - 1);
				for (int i = 1; i < data.size(); i++) {
					args.add(data.get(i));
				}
				socket.fireEvent(data.get(0).asString(), args, packet.id(), packet.bytes());
			}
			case ACK, BINARY_ACK -> {
				List<JsonNode> args = new ArrayList<>(packet.data().size());
				packet.data().forEach(args::add);
				if (!socket.fireAck(packet.id(), args)) {
					// nobody awaits it: counted like a pong, so a flood of them is
					// bounded
					this.session.controlPacket();
				}
			}
			default -> throw new SioParseException("unexpected " + packet.type() + " from a client");
		}
	}

	private void connect(String namespace, @Nullable JsonNode data) {
		NamespaceHandler handler = this.handlers.get(namespace);
		if (handler == null) {
			doneConnecting(namespace);
			this.metrics.connectRejected(namespace);
			sendConnectError(namespace, "Invalid namespace", null);
			return;
		}
		JsonNode auth = (data != null) ? data : SioJson.NODES.objectNode();
		// a handler that never answers must not hold the namespace forever
		Mono.defer(() -> handler.onConnect(this.session.handshake(), auth))
			.timeout(this.session.config().connectTimeout())
			.defaultIfEmpty(ConnectDecision.reject("Not authorized"))
			.subscribe((decision) -> decided(namespace, auth, decision), (error) -> {
				logger.warn("Namespace handler of {} failed on CONNECT", namespace, error);
				decided(namespace, auth, ConnectDecision.reject("Server error"));
			});
	}

	/**
	 * What a socket keeps of its CONNECT's auth ({@code keptAuth}); {@code null} for
	 * nothing (the socket answers an empty object).
	 */
	private @Nullable JsonNode kept(JsonNode auth) {
		java.util.Set<String> fields = this.session.config().keptAuth();
		if (fields == null || !auth.isObject()) {
			return auth;
		}
		ObjectNode kept = null;
		for (String field : fields) {
			JsonNode value = auth.get(field);
			if (value != null) {
				kept = (kept != null) ? kept : SioJson.NODES.objectNode();
				kept.set(field, value);
			}
		}
		return kept;
	}

	private void decided(String namespace, JsonNode auth, ConnectDecision decision) {
		doneConnecting(namespace);
		if (this.session.isClosed()) {
			return;
		}
		if (decision instanceof ConnectDecision.Reject reject) {
			this.metrics.connectRejected(namespace);
			sendConnectError(namespace, reject.message(), reject.data());
			return;
		}
		ConnectDecision.Accept accept = (ConnectDecision.Accept) decision;
		String id = (accept.socketId() != null) ? accept.socketId() : EioSessions.newId();
		DefaultSioSocket socket = new DefaultSioSocket(id, namespace, this.session, kept(auth), accept.pid(),
				accept.recovered(), accept.listener(), this, this.timer);
		ObjectNode reply = SioJson.NODES.objectNode();
		reply.put("sid", id);
		if (accept.pid() != null) {
			reply.put("pid", accept.pid());
		}
		connected(socket);
		stopConnectTimeout();
		// the reply is queued before onConnect runs, so whatever the listener emits
		// there (e.g. a recovery replay) reaches the client after it
		this.session.send(SioEncoder.encode(SioPacketType.CONNECT, namespace, null, reply));
		this.metrics.socketConnected(namespace);
		socket.fireConnect();
		if (this.session.isClosed()) {
			remove(socket, DisconnectReason.TRANSPORT_CLOSE);
		}
	}

	private void sendConnectError(String namespace, String message, @Nullable JsonNode data) {
		ObjectNode payload = SioJson.NODES.objectNode();
		payload.put("message", message);
		if (data != null) {
			payload.set("data", data);
		}
		this.session.send(SioEncoder.encode(SioPacketType.CONNECT_ERROR, namespace, null, payload));
	}

	void remove(DefaultSioSocket socket, DisconnectReason reason) {
		if (removed(socket)) {
			this.metrics.socketDisconnected(socket.namespace(), reason);
			socket.fireDisconnect(reason);
			startConnectTimeoutIfIdle();
		}
	}

	/**
	 * A session whose last namespace left (the client's {@code 41}, or the server ending
	 * it: an expired token, a forbidden client) gets the connect timeout again: else it
	 * lived on without any namespace — kept alive by pongs alone, past its token, counted
	 * against the sessions a node holds — until the client went away.
	 */
	private void startConnectTimeoutIfIdle() {
		synchronized (this) {
			if (!this.sockets.isEmpty() || this.connectTimeout != null || this.session.isClosed()) {
				return;
			}
			this.connectTimeout = this.timer.schedule(this::onConnectTimeout,
					this.session.config().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/** Marks a namespace as connecting, unless it is already connecting or connected. */
	private synchronized boolean startConnecting(String namespace) {
		if (this.sockets.containsKey(namespace) || this.connecting.contains(namespace)) {
			return false;
		}
		Set<String> next = new HashSet<>(this.connecting);
		next.add(namespace);
		this.connecting = Set.copyOf(next);
		return true;
	}

	private synchronized void doneConnecting(String namespace) {
		if (this.connecting.contains(namespace)) {
			Set<String> next = new HashSet<>(this.connecting);
			next.remove(namespace);
			this.connecting = Set.copyOf(next);
		}
	}

	private synchronized void connected(DefaultSioSocket socket) {
		Map<String, DefaultSioSocket> next = new HashMap<>(this.sockets);
		next.put(socket.namespace(), socket);
		this.sockets = Map.copyOf(next);
	}

	/** Removes the socket if it is still its namespace's; whether it was. */
	private synchronized boolean removed(DefaultSioSocket socket) {
		if (this.sockets.get(socket.namespace()) != socket) {
			return false;
		}
		Map<String, DefaultSioSocket> next = new HashMap<>(this.sockets);
		next.remove(socket.namespace());
		this.sockets = Map.copyOf(next);
		return true;
	}

	private synchronized void stopConnectTimeout() {
		Disposable timeout = this.connectTimeout;
		if (timeout != null) {
			timeout.dispose();
			this.connectTimeout = null;
		}
	}

	private void onConnectTimeout() {
		synchronized (this) {
			this.connectTimeout = null;
		}
		if (this.sockets.isEmpty()) {
			this.session.close(DisconnectReason.CONNECT_TIMEOUT);
		}
	}

	private void protocolError(String message) {
		logger.debug("Closing session {}: {}", this.session.id(), message);
		this.session.close(DisconnectReason.PARSE_ERROR);
	}

}
