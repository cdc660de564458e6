package dev.agenthub.socketio.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.engine.EioCodec;
import dev.agenthub.socketio.engine.EioFrame;
import dev.agenthub.socketio.engine.EioInbound;
import dev.agenthub.socketio.engine.EioProtocolException;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.engine.InputHold;
import dev.agenthub.socketio.engine.WsOutbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The WebSocket transport of one connection, on Reactor Netty's WebSocket API: either a
 * session's own transport (direct handshake, or after a completed upgrade) or an upgrade
 * probe of a polling session.
 *
 * <p>
 * Outbound frames stay in the session's bounded queue until the socket asks for them
 * (Reactor Netty requests more only while the channel is writable), so a slow reader
 * fills that queue, not an unbounded one here. Frames wrap the shared encoded bytes:
 * nothing is copied or re-encoded per recipient.
 * <p>
 * It subscribes to the inbound frames itself, and answers the socket's handler with one
 * sink that completes once both directions ended: no chain of reactive operators lives as
 * long as the connection (they cost an idle connection half a kilobyte).
 */
final class WebSocketTransport implements WsOutbound, CoreSubscriber<Object> {

	private static final AtomicIntegerFieldUpdater<WebSocketTransport> WIP = AtomicIntegerFieldUpdater
		.newUpdater(WebSocketTransport.class, "wip");

	private final WebsocketInbound in;

	private final WebsocketOutbound out;

	private final int maxPayload;

	/**
	 * An upgrade probe's pong is waiting to go out (the only frame not from the session).
	 */
	private volatile boolean pongDue;

	private volatile int wip;

	/** Written to directly, on its event loop. */
	private final Channel channel;

	/** Completes when both directions ended: the socket's handler is done. */
	private final Sinks.Empty<Void> finished = Sinks.empty();

	/** Which directions ended (guarded by this). */
	private boolean inputEnded;

	private boolean outputEnded;

	/** The close frame was sent (on the event loop). */
	private boolean closeSent;

	private volatile EioSession session;

	private volatile boolean active;

	/** How long a closing WebSocket may take to flush before its connection is ended. */
	private static final Duration ABORT_AFTER = Duration.ofSeconds(3);

	private volatile boolean closing;

	/**
	 * Inbound frames asked for ahead: few enough that a held input stops the reads soon
	 * (see {@link InputHold}), enough that asking costs little.
	 */
	static final int READ_AHEAD = 32;

	private Subscription inbound;

	/** Frames taken since the last ask (on the event loop). */
	private int taken;

	/** Waiting for the session's input to be released (on the event loop). */
	private boolean awaitingRelease;

	private volatile boolean abortScheduled;

	WebSocketTransport(WebsocketInbound in, WebsocketOutbound out, int maxPayload) {
		this.in = in;
		this.out = out;
		this.maxPayload = maxPayload;
		this.channel = UpgradedSockets.writeDirectly(out, this::drain);
		// a closed channel takes no close frame: the output ended with it
		this.channel.closeFuture().addListener((future) -> ended(false));
	}

	/** Serve a new session opened by this WebSocket, with the upgrade request's data. */
	Mono<Void> serveNew(EioSessions sessions, ServerHttpRequest request) {
		this.active = true;
		this.session = sessions.open(request.getHeaders(), request.getQueryParams(), request.getRemoteAddress(), this);
		// the open packet (and whatever the session queued with it)
		drain();
		return io();
	}

	/**
	 * Serve an upgrade probe for a polling session; a session that has a WebSocket, or
	 * one probing, refuses it: it is closed (when the session says so).
	 */
	Mono<Void> serveProbe(EioSession target) {
		this.session = target;
		if (!target.upgrade().begin(this)) {
			return Mono.<Void>create((refused) -> target.upgrade().refuse(refused::success))
				.then(Mono.defer(this.out::sendClose));
		}
		return io();
	}

	/**
	 * Reads the socket's frames (once the session is known) and answers what the handler
	 * waits for. Each frame is flushed on its own, as the reference server writes each
	 * packet: a client that reads packet by packet (the official test suite awaits one
	 * message event, then listens for the next) must not get two in one read.
	 */
	private Mono<Void> io() {
		this.in.aggregateFrames(this.maxPayload).receiveObject().subscribe(this);
		return this.finished.asMono();
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.inbound = subscription;
		subscription.request(READ_AHEAD);
	}

	@Override
	public void onNext(Object frame) {
		if (frame instanceof WebSocketFrame webSocketFrame) {
			onFrame(webSocketFrame);
		}
		this.taken++;
		readOn();
	}

	/**
	 * Asks for the frames taken since the last ask, in steps of half the read-ahead,
	 * unless the session holds its input: then no more is asked for until it is released,
	 * and Reactor Netty stops reading the socket once the frames asked for came. On the
	 * event loop.
	 */
	private void readOn() {
		if (this.taken < READ_AHEAD / 2) {
			return;
		}
		EioSession current = this.session;
		if (this.active && current != null && current.input().held()) {
			if (!this.awaitingRelease) {
				this.awaitingRelease = true;
				current.input().whenReleased(() -> this.channel.eventLoop().execute(() -> {
					this.awaitingRelease = false;
					readOn();
				}));
			}
			return;
		}
		int asked = this.taken;
		this.taken = 0;
		this.inbound.request(asked);
	}

	@Override
	public void onError(Throwable error) {
		if (error instanceof CorruptedWebSocketFrameException || error instanceof TooLongFrameException) {
			this.session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
		}
		onInboundClosed();
	}

	@Override
	public void onComplete() {
		onInboundClosed();
	}

	/** One direction ended; the handler is done when both have. */
	private void ended(boolean input) {
		boolean both;
		synchronized (this) {
			if (input) {
				this.inputEnded = true;
			}
			else {
				this.outputEnded = true;
			}
			both = this.inputEnded && this.outputEnded;
		}
		if (both) {
			this.finished.tryEmitEmpty();
		}
	}

	/** Everything is written: the close frame goes, and the output ends once it went. */
	private void sendClose() {
		if (this.closeSent) {
			return;
		}
		this.closeSent = true;
		this.out.sendClose().subscribe(null, (ex) -> ended(false), () -> ended(false));
	}

	private void onFrame(WebSocketFrame frame) {
		boolean text = frame instanceof TextWebSocketFrame;
		if (!text && !(frame instanceof BinaryWebSocketFrame)) {
			return;
		}
		ByteBuf content = frame.content();
		if (content.readableBytes() > this.maxPayload) {
			this.session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
			return;
		}
		if (!this.active) {
			onProbeFrame(text ? ((TextWebSocketFrame) frame).text() : null);
			return;
		}
		if (!text) {
			this.session.receive(EioInbound.binaryMessage(ByteBufUtil.getBytes(content)));
			return;
		}
		try {
			this.session.receive(EioCodec.decodeText(((TextWebSocketFrame) frame).text(), false));
		}
		catch (EioProtocolException ex) {
			this.session.close(DisconnectReason.PARSE_ERROR);
		}
	}

	private void onProbeFrame(@Nullable String text) {
		if ("2probe".equals(text)) {
			this.pongDue = true;
			drain();
			this.session.upgrade().probed(this);
		}
		else if ("5".equals(text)) {
			this.active = true;
			if (!this.session.upgrade().complete(this)) {
				close();
			}
		}
		else {
			this.session.upgrade().abort(this);
		}
	}

	private void onInboundClosed() {
		EioSession current = this.session;
		if (current != null) {
			current.webSocketClosed(this);
		}
		close();
		ended(true);
	}

	/**
	 * Writes what is waiting, on the channel's event loop: at once when called there (a
	 * probe's pong goes out before anything the same read causes elsewhere, e.g. the
	 * answer to a poll the upgrade ends), else in a task.
	 */
	@Override
	public void drain() {
		if (WIP.getAndIncrement(this) == 0) {
			if (this.channel.eventLoop().inEventLoop()) {
				drainNow();
			}
			else {
				this.channel.eventLoop().execute(this::drainNow);
			}
		}
	}

	private void drainNow() {
		int missed = 1;
		do {
			writeWhileWritable();
			EioSession current = this.session;
			if (this.closing && !this.pongDue && (!this.active || current == null || current.queuedBytes() == 0)) {
				sendClose();
			}
			missed = WIP.addAndGet(this, -missed);
		}
		while (missed != 0);
		// not writable: the channel's writability handler drains again when it is
	}

	private void writeWhileWritable() {
		ChannelPromise quiet = null;
		while (this.channel.isWritable()) {
			EioFrame frame = null;
			if (this.pongDue) {
				this.pongDue = false;
				frame = EioFrame.PROBE_PONG;
			}
			EioSession current = this.session;
			if (frame == null && this.active && current != null) {
				frame = current.nextOutbound();
			}
			if (frame == null) {
				return;
			}
			ByteBuf bytes = Unpooled.wrappedBuffer(frame.bytes());
			quiet = (quiet != null) ? quiet : UpgradedSockets.quietPromise(this.channel);
			this.channel.writeAndFlush(
					frame.isBinary() ? new BinaryWebSocketFrame(bytes) : new TextWebSocketFrame(bytes), quiet);
		}
	}

	@Override
	public void close() {
		this.closing = true;
		drain();
		if (!this.abortScheduled) {
			this.abortScheduled = true;
			// A peer that reads nothing never takes the close frame queued behind what it
			// did not read: end the connection itself after a grace period.
			Mono.delay(ABORT_AFTER).subscribe((tick) -> this.out.withConnection(Connection::dispose));
		}
	}

}
