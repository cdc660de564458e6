package dev.agenthub.socketio.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * One Engine.IO session: its bounded outbound queue, its current transport (polling, or
 * WebSocket after an upgrade or a direct WebSocket handshake), what the client sends, the
 * server-initiated heartbeat ({@link Heartbeat}) and the close. Its long-polling side is
 * {@link EioPolling}, its upgrade to WebSocket {@link EioUpgrade}.
 *
 * <p>
 * State changes of all three happen under the session's monitor; callbacks to the
 * handler, sinks and transports run outside it, so a handler may send to any session from
 * a callback.
 */
public final class EioSession {

	/** The transports. */
	public enum Transport {

		POLLING, WEBSOCKET;

		public String wireName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private final String id;

	private final SocketIoConfig config;

	private final HandshakeInfo handshake;

	private final Scheduler timer;

	private final SocketIoMetrics metrics;

	private final Consumer<EioSession> onClosed;

	private final OutboundQueue queue;

	private final Heartbeat heartbeat;

	private EioSessionHandler handler;

	private Transport transport;

	private @Nullable WsOutbound webSocket;

	private final EioPolling polling = new EioPolling(this);

	private final EioUpgrade upgrade = new EioUpgrade(this);

	private final ControlBudget controlBudget = new ControlBudget();

	/** The client sent its close packet: nothing it sends after it counts. */
	private volatile boolean clientClosed;

	/**
	 * How long a client's close over long-polling waits before it ends the session: a
	 * poll the client sent just before it (on another connection, so possibly handled
	 * after it) is then answered as the reference server answers it, with a noop.
	 */
	static final Duration POLLING_CLOSE_GRACE = Duration.ofMillis(20);

	private boolean closed;

	/** Flow control of the client's input. */
	private final InputHold input = new InputHold();

	EioSession(String id, SocketIoConfig config, HandshakeInfo handshake, Transport transport, Scheduler timer,
			SocketIoMetrics metrics, Consumer<EioSession> onClosed) {
		this.id = id;
		this.config = config;
		this.handshake = handshake;
		this.transport = transport;
		this.timer = timer;
		this.metrics = metrics;
		this.onClosed = onClosed;
		this.queue = new OutboundQueue(config.maxOutboundBytes());
		this.heartbeat = new Heartbeat(this);
	}

	void start(EioApplication application, @Nullable WsOutbound directWebSocket) {
		this.webSocket = directWebSocket;
		this.handler = application.open(this);
		this.heartbeat.start();
	}

	public String id() {
		return this.id;
	}

	/**
	 * The heartbeat's turn (in the server's sweep, or when a request finds the session).
	 * @return whether the session timed out
	 */
	boolean heartbeatTick(long now) {
		return this.heartbeat.tick(now);
	}

	public HandshakeInfo handshake() {
		return this.handshake;
	}

	public SocketIoConfig config() {
		return this.config;
	}

	public synchronized Transport transport() {
		return this.transport;
	}

	public synchronized boolean isClosed() {
		return this.closed;
	}

	/** Bytes waiting in the outbound queue. */
	public synchronized long queuedBytes() {
		return this.queue.bytes();
	}

	/** Queue one packet; see {@link #send(List)}. */
	public boolean send(EioFrame frame) {
		return send(List.of(frame));
	}

	/**
	 * Queue packets atomically (a binary event and its attachments stay together). If the
	 * queue would pass maxOutboundBytes the session closes with
	 * {@link DisconnectReason#OUTBOUND_OVERFLOW}.
	 * @return {@code false} if the session is closed or just overflowed
	 */
	public boolean send(List<EioFrame> frames) {
		long size = 0;
		for (EioFrame frame : frames) {
			size += frame.size();
		}
		MonoSink<byte[]> poll = null;
		byte[] body = null;
		WsOutbound ws = null;
		boolean overflow;
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			overflow = !this.queue.offer(frames, size);
			if (!overflow) {
				poll = this.polling.takeIfAnswerableLocked();
				if (poll != null) {
					body = drainLocked();
				}
				ws = (this.transport == Transport.WEBSOCKET) ? this.webSocket : null;
			}
		}
		if (overflow) {
			this.metrics.outboundOverflow();
			close(DisconnectReason.OUTBOUND_OVERFLOW);
			return false;
		}
		for (int i = 0; i < frames.size(); i++) {
			this.metrics.packetQueued();
		}
		if (poll != null) {
			poll.success(body);
		}
		if (ws != null) {
			ws.drain();
		}
		return true;
	}

	/** Lets the WebSocket transport take what is queued, as far as it can now. */
	public void flush() {
		WsOutbound ws;
		synchronized (this) {
			ws = (this.transport == Transport.WEBSOCKET) ? this.webSocket : null;
		}
		if (ws != null) {
			ws.drain();
		}
	}

	/** Take the next queued frame for the WebSocket transport, or {@code null}. */
	public synchronized @Nullable EioFrame nextOutbound() {
		return this.queue.poll();
	}

	/** The session's long-polling side (its GET and POST). */
	public EioPolling polling() {
		return this.polling;
	}

	/** The session's upgrade from long-polling to WebSocket. */
	public EioUpgrade upgrade() {
		return this.upgrade;
	}

	/**
	 * The client's input, held for flow control (see {@link InputHold}); closing the
	 * session ends every hold.
	 */
	public InputHold input() {
		return this.input;
	}

	/** Dispatch one inbound packet from the current transport. */
	public void receive(EioInbound packet) {
		if (this.clientClosed || isClosed()) {
			return;
		}
		this.metrics.packetReceived();
		switch (packet.type()) {
			case PONG -> {
				if (controlPacket()) {
					this.heartbeat.onPong();
				}
			}
			case MESSAGE -> {
				if (packet.binary() != null) {
					this.handler.onBinary(packet.binary());
				}
				else {
					this.handler.onMessage(packet.text());
				}
			}
			case CLOSE -> {
				this.clientClosed = true;
				if (transport() == Transport.POLLING) {
					this.timer.schedule(() -> close(DisconnectReason.TRANSPORT_CLOSE), POLLING_CLOSE_GRACE.toMillis(),
							TimeUnit.MILLISECONDS);
				}
				else {
					close(DisconnectReason.TRANSPORT_CLOSE);
				}
			}
			// v4 heartbeats go server to client only: a client ping breaks the protocol
			case PING, OPEN -> close(DisconnectReason.PARSE_ERROR);
			case NOOP, UPGRADE -> controlPacket();
		}
	}

	/**
	 * Counts a packet from the client that no handler sees; past its
	 * {@link ControlBudget} the session is closed with
	 * {@link DisconnectReason#TOO_MANY_PACKETS}.
	 * @return {@code false} when the session was closed for it
	 */
	public boolean controlPacket() {
		if (this.controlBudget.take()) {
			return true;
		}
		close(DisconnectReason.TOO_MANY_PACKETS);
		return false;
	}

	/** The transport WebSocket closed. */
	public void webSocketClosed(WsOutbound ws) {
		boolean current;
		synchronized (this) {
			current = this.webSocket == ws && this.transport == Transport.WEBSOCKET;
		}
		if (current) {
			close(DisconnectReason.TRANSPORT_CLOSE);
		}
		else {
			this.upgrade.abort(ws);
		}
	}

	/** Close the session; idempotent. */
	public void close(DisconnectReason reason) {
		MonoSink<byte[]> poll;
		WsOutbound ws;
		WsOutbound probeWs;
		WaitingRefusals waiting;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			poll = this.polling.takeLocked();
			ws = this.webSocket;
			probeWs = this.upgrade.probeLocked();
			waiting = this.upgrade.endLocked();
			// a forced close lets the WebSocket drain what was queued (e.g. a last
			// event); other reasons drop it
			if (reason != DisconnectReason.FORCED_CLOSE && reason != DisconnectReason.SERVER_SHUTDOWN) {
				this.queue.clear();
			}
		}
		this.heartbeat.stop();
		if (poll != null) {
			// the reference server answers a client's close with a noop, its own with
			// close
			poll.success((reason == DisconnectReason.TRANSPORT_CLOSE) ? EioFrame.NOOP.bytes() : EioFrame.CLOSE.bytes());
		}
		if (ws != null) {
			ws.close();
		}
		if (probeWs != null) {
			probeWs.close();
		}
		WaitingRefusals.runAll(waiting);
		this.input.end();
		this.onClosed.accept(this);
		this.metrics.sessionClosed(reason);
		if (this.handler != null) {
			this.handler.onClose(reason);
		}
	}

	/** Whether packets wait in the outbound queue. */
	boolean hasQueuedLocked() {
		return !this.queue.isEmpty();
	}

	/** Everything queued, as one long-polling payload. */
	byte[] drainLocked() {
		return this.queue.drainPayload();
	}

	boolean closedLocked() {
		return this.closed;
	}

	Transport transportLocked() {
		return this.transport;
	}

	/** The probe WebSocket completed the upgrade: it is the transport. */
	void upgradedLocked(WsOutbound ws) {
		this.transport = Transport.WEBSOCKET;
		this.webSocket = ws;
	}

	Scheduler timer() {
		return this.timer;
	}

	SocketIoMetrics metrics() {
		return this.metrics;
	}

}
