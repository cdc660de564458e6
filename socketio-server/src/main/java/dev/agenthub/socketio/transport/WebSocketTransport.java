package dev.agenthub.socketio.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.engine.EioCodec;
import dev.agenthub.socketio.engine.EioFrame;
import dev.agenthub.socketio.engine.EioInbound;
import dev.agenthub.socketio.engine.EioProtocolException;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.engine.WsOutbound;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The WebSocket transport of one connection: either a session's own transport (direct
 * handshake, or after a completed upgrade) or an upgrade probe of a polling session.
 *
 * <p>
 * Outbound frames stay in the session's bounded queue until the socket asks for them
 * (Reactor Netty requests more only while the channel is writable), so a slow reader
 * fills that queue, not an unbounded one here.
 */
final class WebSocketTransport implements WsOutbound {

	private final WebSocketSession ws;

	private final Queue<EioFrame> direct = new ConcurrentLinkedQueue<>();

	private final AtomicInteger wip = new AtomicInteger();

	private volatile @Nullable FluxSink<WebSocketMessage> sink;

	private volatile EioSession session;

	private volatile boolean active;

	private volatile boolean closing;

	private final int maxPayload;

	WebSocketTransport(WebSocketSession ws, int maxPayload) {
		this.ws = ws;
		this.maxPayload = maxPayload;
	}

	/** Serve a new session opened by this WebSocket, with the upgrade request's data. */
	Mono<Void> serveNew(EioSessions sessions, ServerHttpRequest request) {
		this.active = true;
		Mono<Void> io = io();
		this.session = sessions.open(request.getHeaders(), request.getQueryParams(), request.getRemoteAddress(), this);
		return io;
	}

	/** Serve an upgrade probe for a polling session. */
	Mono<Void> serveProbe(EioSession target) {
		this.session = target;
		if (!target.beginUpgrade(this)) {
			return this.ws.close();
		}
		return io();
	}

	private Mono<Void> io() {
		// push + IGNORE: no queue inside the sink (frames wait in the session's bounded
		// queue until Netty asks for them); the drain loop makes emission single-threaded
		Flux<WebSocketMessage> outbound = Flux.push((created) -> {
			this.sink = created;
			created.onRequest((n) -> drain());
			drain();
		}, FluxSink.OverflowStrategy.IGNORE);
		Mono<Void> send = this.ws.send(outbound).onErrorResume((ex) -> Mono.empty()).then(Mono.defer(this.ws::close));
		Mono<Void> receive = this.ws.receive().doOnNext(this::onFrame).onErrorResume((ex) -> {
			if (ex instanceof CorruptedWebSocketFrameException && this.session != null) {
				// e.g. a frame larger than maxPayload
				this.session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
			}
			return Mono.empty();
		}).doFinally((signal) -> onInboundClosed()).then();
		return Mono.when(send, receive);
	}

	private void onFrame(WebSocketMessage message) {
		WebSocketMessage.Type type = message.getType();
		if (type != WebSocketMessage.Type.TEXT && type != WebSocketMessage.Type.BINARY) {
			return;
		}
		if (message.getPayload().readableByteCount() > this.maxPayload) {
			this.session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
			return;
		}
		if (!this.active) {
			onProbeFrame(message);
			return;
		}
		if (type == WebSocketMessage.Type.BINARY) {
			this.session.receive(EioInbound.binaryMessage(bytes(message.getPayload())));
			return;
		}
		try {
			this.session.receive(EioCodec.decodeText(message.getPayloadAsText(), false));
		}
		catch (EioProtocolException ex) {
			this.session.close(DisconnectReason.PARSE_ERROR);
		}
	}

	private void onProbeFrame(WebSocketMessage message) {
		String text = (message.getType() == WebSocketMessage.Type.TEXT) ? message.getPayloadAsText() : null;
		if ("2probe".equals(text)) {
			this.direct.add(EioFrame.PROBE_PONG);
			drain();
			this.session.probed(this);
		}
		else if ("5".equals(text)) {
			this.active = true;
			if (!this.session.completeUpgrade(this)) {
				close();
			}
		}
		else {
			this.session.abortUpgrade(this);
		}
	}

	private void onInboundClosed() {
		EioSession current = this.session;
		if (current != null) {
			current.webSocketClosed(this);
		}
		close();
	}

	@Override
	public void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			FluxSink<WebSocketMessage> out = this.sink;
			if (out != null) {
				emitRequested(out);
				if (this.closing && this.direct.isEmpty() && (!this.active || this.session.queuedBytes() == 0)) {
					out.complete();
				}
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void emitRequested(FluxSink<WebSocketMessage> out) {
		while (out.requestedFromDownstream() > 0 && !out.isCancelled()) {
			EioFrame frame = this.direct.poll();
			if (frame == null && this.active) {
				frame = this.session.nextOutbound();
			}
			if (frame == null) {
				return;
			}
			DataBuffer buffer = this.ws.bufferFactory().wrap(frame.bytes());
			out.next(new WebSocketMessage(frame.isBinary() ? WebSocketMessage.Type.BINARY : WebSocketMessage.Type.TEXT,
					buffer));
		}
	}

	@Override
	public void close() {
		this.closing = true;
		drain();
	}

	private static byte[] bytes(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		return bytes;
	}

}
