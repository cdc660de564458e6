package dev.agenthub.socketio.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.engine.EioCodec;
import dev.agenthub.socketio.engine.EioError;
import dev.agenthub.socketio.engine.EioInbound;
import dev.agenthub.socketio.engine.EioProtocolException;
import dev.agenthub.socketio.engine.EioRequestException;
import dev.agenthub.socketio.engine.EioSession;
import dev.agenthub.socketio.engine.EioSessions;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The HTTP side of one Engine.IO endpoint: validates the query, answers handshakes,
 * long-polling GETs and POSTs, and hands WebSocket handshakes to
 * {@link WebSocketTransport}. Mount it at the endpoint path (e.g. {@code /socket.io/}).
 */
public final class EngineIoWebHandler implements WebHandler {

	private static final MediaType TEXT_UTF8 = MediaType.parseMediaType("text/plain; charset=UTF-8");

	private final EioSessions sessions;

	private final WebsocketServerSpec webSocketSpec;

	public EngineIoWebHandler(EioSessions sessions) {
		this.sessions = sessions;
		// frames up to maxPayload are served, larger ones up to twice that close the
		// session as PAYLOAD_TOO_LARGE; beyond, Netty drops the connection unread
		int frameLimit = (int) Math.min(Integer.MAX_VALUE, 2L * sessions.config().maxPayload());
		this.webSocketSpec = WebsocketServerSpec.builder().maxFramePayloadLength(frameLimit).build();
	}

	public EioSessions sessions() {
		return this.sessions;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		try {
			return route(exchange).onErrorResume(EioRequestException.class,
					(ex) -> error(exchange.getResponse(), ex.error()));
		}
		catch (EioRequestException ex) {
			return error(exchange.getResponse(), ex.error());
		}
	}

	private Mono<Void> route(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		MultiValueMap<String, String> query = request.getQueryParams();
		String transport = query.getFirst("transport");
		if (!"polling".equals(transport) && !"websocket".equals(transport)) {
			throw EioError.UNKNOWN_TRANSPORT.exception();
		}
		if (!"4".equals(query.getFirst("EIO"))) {
			throw EioError.UNSUPPORTED_PROTOCOL_VERSION.exception();
		}
		String sid = query.getFirst("sid");
		EioSession session = null;
		if (sid != null) {
			session = this.sessions.get(sid);
			if (session == null) {
				throw EioError.UNKNOWN_SID.exception();
			}
		}
		if ("websocket".equals(transport)) {
			return webSocket(exchange, session);
		}
		if (session == null) {
			return handshake(exchange);
		}
		if (HttpMethod.GET.equals(request.getMethod())) {
			return session.polling().poll().flatMap((body) -> write(exchange.getResponse(), body, TEXT_UTF8));
		}
		if (HttpMethod.POST.equals(request.getMethod())) {
			return post(exchange, session);
		}
		throw EioError.BAD_REQUEST.exception();
	}

	private Mono<Void> webSocket(ServerWebExchange exchange, EioSession session) {
		if (!"websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())
				|| !HttpMethod.GET.equals(exchange.getRequest().getMethod())) {
			throw EioError.BAD_REQUEST.exception();
		}
		// A WebSocket for a session already on WebSocket is accepted and then closed (the
		// probe is refused by the session), as engine.io does; the first keeps working.
		if (session == null) {
			// refuse before the upgrade, so the client sees the status
			this.sessions.checkCapacity();
		}
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpResponse response = exchange.getResponse();
		HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		int maxPayload = this.sessions.config().maxPayload();
		// let WebFlux run its pre-commit actions, then upgrade on Reactor Netty directly:
		// no WebFlux WebSocketSession in between, which saves memory per connection
		return response.setComplete().then(Mono.defer(() -> nettyResponse.sendWebsocket((in, out) -> {
			WebSocketTransport webSocket = new WebSocketTransport(in, out, maxPayload);
			Mono<Void> served = (session != null) ? webSocket.serveProbe(session)
					: webSocket.serveNew(this.sessions, request);
			// the session copied what it keeps: the upgrade's headers are not kept with
			// the socket
			UpgradedSockets.forgetHandshake(in, out);
			return served;
		}, this.webSocketSpec))
			// the socket's handler runs in this context for its life: not the request's
			.contextWrite((requestContext) -> Context.empty()));
	}

	private Mono<Void> handshake(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (!HttpMethod.GET.equals(request.getMethod())) {
			throw EioError.BAD_HANDSHAKE_METHOD.exception();
		}
		EioSession session = this.sessions.open(request.getHeaders(), request.getQueryParams(),
				request.getRemoteAddress(), null);
		return write(exchange.getResponse(), this.sessions.openPacket(session).getBytes(StandardCharsets.UTF_8),
				TEXT_UTF8);
	}

	/**
	 * A long-polling POST: in flight, as in the reference server, from its start until it
	 * is answered — also while a held input delays the answer — so a client that posts
	 * again meanwhile is refused (400) and its session closed; otherwise a client that
	 * does not wait for its answers would get one payload's worth of packets past the
	 * hold with each POST.
	 */
	private Mono<Void> post(ServerWebExchange exchange, EioSession session) {
		int maxPayload = this.sessions.config().maxPayload();
		long declared = exchange.getRequest().getHeaders().getContentLength();
		if (declared > maxPayload) {
			session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
			throw EioError.PAYLOAD_TOO_LARGE.exception();
		}
		session.polling().beginPost();
		// Ended before its answer is written, as the reference server does (it is
		// single-threaded: no other request comes between the two). The client may post
		// again as soon as the answer reaches it, read on another event loop before this
		// chain completes.
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				session.polling().endPost();
			}
		};
		return DataBufferUtils.join(exchange.getRequest().getBody(), maxPayload).map((buffer) -> {
			try {
				return buffer.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty("").onErrorMap(DataBufferLimitException.class, (ex) -> {
			session.close(DisconnectReason.PAYLOAD_TOO_LARGE);
			return EioError.PAYLOAD_TOO_LARGE.exception();
		}).flatMap((body) -> {
			dispatch(session, body);
			Mono<Void> ok = Mono.defer(() -> {
				end.run();
				return write(exchange.getResponse(), "ok".getBytes(StandardCharsets.UTF_8), MediaType.TEXT_HTML);
			});
			// a held input is answered once released: the client posts again only then
			return session.input().held()
					? Mono.<Void>create((released) -> session.input().whenReleased(released::success)).then(ok) : ok;
		}).doFinally((signal) -> end.run());
	}

	private static void dispatch(EioSession session, String body) {
		List<EioInbound> packets;
		try {
			packets = EioCodec.decodePayload(body);
		}
		catch (EioProtocolException ex) {
			session.close(DisconnectReason.PARSE_ERROR);
			throw EioError.BAD_REQUEST.exception();
		}
		for (EioInbound packet : packets) {
			session.receive(packet);
		}
	}

	private static Mono<Void> write(ServerHttpResponse response, byte[] body, MediaType type) {
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(type);
		headers.setContentLength(body.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private static Mono<Void> error(ServerHttpResponse response, EioError error) {
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatus.valueOf(error.status()));
		return write(response, error.json().getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON);
	}

}
