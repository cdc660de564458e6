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
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * One Engine.IO session: its bounded outbound queue, its current transport (polling, or
 * WebSocket after an upgrade or a direct WebSocket handshake), the upgrade and the
 * server-initiated heartbeat.
 *
 * <p>
 * State changes happen under the session's monitor; callbacks to the handler, sinks and
 * transports run outside it, so a handler may send to any session from a callback.
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

	private @Nullable MonoSink<byte[]> pendingPoll;

	private boolean postInFlight;

	private @Nullable WsOutbound webSocket;

	private @Nullable WsOutbound probe;

	private boolean probed;

	/**
	 * Refusals of further WebSockets that wait for the probe's "2probe"; null if none.
	 */
	private @Nullable WaitingRefusals refusals;

	private final ControlBudget controlBudget = new ControlBudget();

	/** The client sent its close packet: nothing it sends after it counts. */
	private volatile boolean clientClosed;

	/**
	 * A poll arrived after the probe: answered with a noop after {@link #UPGRADE_CHECK}
	 * (the client may wait for it before it completes the upgrade), refused if the
	 * upgrade completes first.
	 */
	private boolean pollHeldForUpgrade;

	/** How long a poll that arrives during an upgrade is held (the reference's check). */
	static final Duration UPGRADE_CHECK = Duration.ofMillis(100);

	/**
	 * How long a client's close over long-polling waits before it ends the session: a
	 * poll the client sent just before it (on another connection, so possibly handled
	 * after it) is then answered as the reference server answers it, with a noop.
	 */
	static final Duration POLLING_CLOSE_GRACE = Duration.ofMillis(20);

	private boolean closed;

	/** Flow control of the client's input. */
	private final InputHold input = new InputHold();

	private @Nullable Disposable upgradeTimeoutTask;

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
				poll = takePollLocked();
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

	/** A long-polling GET: completes with a payload when there is one. */
	public Mono<byte[]> poll() {
		return Mono.create((sink) -> {
			byte[] now = null;
			EioError error = null;
			boolean duplicate = false;
			synchronized (this) {
				if (this.closed) {
					error = EioError.UNKNOWN_SID;
				}
				else if (this.transport != Transport.POLLING) {
					error = EioError.BAD_REQUEST;
				}
				else if (this.pendingPoll != null) {
					duplicate = true;
				}
				else if (this.probed) {
					// as the reference: held briefly, so a client that completes the
					// upgrade at once finds its polling over (refused), and one that
					// waits
					// for this poll gets a noop
					this.pendingPoll = sink;
					this.pollHeldForUpgrade = true;
					this.timer.schedule(() -> releaseHeldPoll(sink), UPGRADE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
				}
				else if (!this.queue.isEmpty()) {
					now = drainLocked();
				}
				else {
					this.pendingPoll = sink;
				}
			}
			if (error != null) {
				sink.error(error.exception());
			}
			else if (duplicate) {
				sink.error(EioError.BAD_REQUEST.exception());
				close(DisconnectReason.TRANSPORT_ERROR);
			}
			else if (now != null) {
				sink.success(now);
			}
			else {
				sink.onCancel(() -> forgetPoll(sink));
			}
		});
	}

	/**
	 * A polling POST starts; its packets go to {@link #receive}, then, once it is
	 * answered, {@link #endPost}. Overlapping POSTs break the protocol and close the
	 * session.
	 * @throws EioRequestException when the POST must be refused
	 */
	public void beginPost() {
		EioError error = null;
		boolean overlap = false;
		synchronized (this) {
			if (this.closed) {
				error = EioError.UNKNOWN_SID;
			}
			else if (this.transport != Transport.POLLING || this.postInFlight) {
				error = EioError.BAD_REQUEST;
				overlap = this.postInFlight;
			}
			else {
				this.postInFlight = true;
			}
		}
		if (error != null) {
			if (overlap) {
				close(DisconnectReason.TRANSPORT_ERROR);
			}
			throw error.exception();
		}
	}

	public synchronized void endPost() {
		this.postInFlight = false;
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

	/** Whether a long-polling GET is waiting for packets. */
	public synchronized boolean pollPending() {
		return this.pendingPoll != null;
	}

	/** A WebSocket with this session's sid opened: it may become the transport. */
	public boolean beginUpgrade(WsOutbound ws) {
		synchronized (this) {
			if (this.closed || this.transport != Transport.POLLING || this.probe != null) {
				return false;
			}
			this.probe = ws;
			this.upgradeTimeoutTask = this.timer.schedule(() -> abortUpgrade(ws),
					this.config.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		return true;
	}

	/**
	 * A WebSocket with this sid that the session will not take ({@link #beginUpgrade}
	 * said no: it has one, or one is probing): {@code refuse} closes it, at once unless a
	 * probe in progress has not yet answered its "2probe" — then once it has, or has
	 * ended (upgraded, aborted, timed out, closed). The reference server reads every
	 * socket on one thread, so its pong to a "2probe" sent before the second socket
	 * opened leaves before that socket is closed (the official suite counts on it); here
	 * the two sockets may be read on two event loops, and the refusal waits for the
	 * probe's. At most {@link WaitingRefusals#MAX} wait.
	 */
	public void refuseWebSocket(Runnable refuse) {
		synchronized (this) {
			if (!this.closed && this.probe != null && !this.probed) {
				if (this.refusals == null) {
					this.refusals = new WaitingRefusals();
				}
				if (this.refusals.offer(refuse)) {
					return;
				}
			}
		}
		refuse.run();
	}

	/**
	 * The probe in progress ends (upgraded, aborted, the session closed): no probe, its
	 * timeout cancelled, and the refusals that waited for it, to run outside the lock.
	 */
	private @Nullable WaitingRefusals endProbeLocked() {
		this.probe = null;
		this.probed = false;
		dispose(this.upgradeTimeoutTask);
		return takeRefusalsLocked();
	}

	private @Nullable WaitingRefusals takeRefusalsLocked() {
		WaitingRefusals taken = this.refusals;
		this.refusals = null;
		return taken;
	}

	/**
	 * The probe WebSocket got "2probe" (and its pong went out). A pending poll is held
	 * for the reference's check (100 ms) and then ended with a noop, so the client can
	 * pause; a client that sends "5" at once finds it refused instead (as with engine.io,
	 * whose check writes that noop). Ending it at once would answer 200 to a poll that
	 * raced "2probe" and "5".
	 */
	public void probed(WsOutbound ws) {
		WaitingRefusals waiting;
		synchronized (this) {
			if (this.probe != ws) {
				return;
			}
			this.probed = true;
			waiting = takeRefusalsLocked();
			MonoSink<byte[]> poll = this.pendingPoll;
			if (poll != null && !this.pollHeldForUpgrade) {
				this.pollHeldForUpgrade = true;
				this.timer.schedule(() -> releaseHeldPoll(poll), UPGRADE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		WaitingRefusals.runAll(waiting);
	}

	/** The probe WebSocket got "5": it becomes the transport. */
	public boolean completeUpgrade(WsOutbound ws) {
		MonoSink<byte[]> poll;
		boolean held;
		WaitingRefusals waiting;
		synchronized (this) {
			if (this.closed || this.probe != ws) {
				return false;
			}
			this.transport = Transport.WEBSOCKET;
			this.webSocket = ws;
			waiting = endProbeLocked();
			held = this.pollHeldForUpgrade;
			this.pollHeldForUpgrade = false;
			poll = takePendingLocked();
		}
		WaitingRefusals.runAll(waiting);
		if (poll != null && held) {
			// as the reference server: an upgraded session refuses polling requests
			poll.error(EioError.BAD_REQUEST.exception());
		}
		else if (poll != null) {
			poll.success(EioFrame.NOOP.bytes());
		}
		this.metrics.upgraded();
		ws.drain();
		return true;
	}

	/** The probe failed or timed out: polling goes on. */
	public void abortUpgrade(WsOutbound ws) {
		MonoSink<byte[]> poll;
		byte[] body = null;
		WaitingRefusals waiting;
		synchronized (this) {
			if (this.probe != ws) {
				return;
			}
			waiting = endProbeLocked();
			this.pollHeldForUpgrade = false;
			// a poll held during the probe goes on polling
			poll = takePollLocked();
			if (poll != null) {
				body = drainLocked();
			}
		}
		if (poll != null) {
			poll.success(body);
		}
		ws.close();
		WaitingRefusals.runAll(waiting);
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
			abortUpgrade(ws);
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
			poll = takePendingLocked();
			ws = this.webSocket;
			probeWs = this.probe;
			waiting = endProbeLocked();
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

	private void releaseHeldPoll(MonoSink<byte[]> sink) {
		synchronized (this) {
			if (this.pendingPoll != sink || !this.pollHeldForUpgrade) {
				return;
			}
			takePendingLocked();
		}
		sink.success(EioFrame.NOOP.bytes());
	}

	private void forgetPoll(MonoSink<byte[]> sink) {
		synchronized (this) {
			if (this.pendingPoll == sink) {
				this.pendingPoll = null;
				this.pollHeldForUpgrade = false;
			}
		}
	}

	private @Nullable MonoSink<byte[]> takePollLocked() {
		if (this.pendingPoll == null || this.queue.isEmpty() || this.probed) {
			return null;
		}
		return takePendingLocked();
	}

	private @Nullable MonoSink<byte[]> takePendingLocked() {
		MonoSink<byte[]> poll = this.pendingPoll;
		this.pendingPoll = null;
		this.pollHeldForUpgrade = false;
		return poll;
	}

	private byte[] drainLocked() {
		return this.queue.drainPayload();
	}

	private static void dispose(@Nullable Disposable task) {
		if (task != null) {
			task.dispose();
		}
	}

}
