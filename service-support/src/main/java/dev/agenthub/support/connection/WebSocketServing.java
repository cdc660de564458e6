package dev.agenthub.support.connection;

import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.socketio.transport.UpgradedSockets;
import dev.agenthub.support.socket.SocketConfiguration;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The raw WebSocket side of a {@link ConnectionServer}: the upgrade, the handshake's
 * token or the auth timeout, and the frames handed to the connection's
 * {@link Conversation} one at a time (the Socket.IO side is {@link SocketIoListener}).
 */
final class WebSocketServing {

	/**
	 * Frames up to 1 MiB reach the pipeline, which enforces the ingress's lower limit.
	 */
	private static final WebsocketServerSpec WEBSOCKET = WebsocketServerSpec.builder()
		.maxFramePayloadLength(SocketConfiguration.TRANSPORT_MAX_FRAME)
		.build();

	private WebSocketServing() {
	}

	/**
	 * Upgrades a raw WebSocket on Reactor Netty and serves it through its ingress's core:
	 * no framework in between ({@link RawSockets} routes the upgrade here, ahead of
	 * WebFlux, after its HTTP checks), and nothing of the handshake request kept once the
	 * socket is open (its headers are cleared; what the ingress needs of it, it took in
	 * {@link Ingress#accept}).
	 */
	static <S> Mono<Void> upgrade(ConnectionServer<S> server, HttpServerRequest request, HttpServerResponse response) {
		Handshake handshake = Handshake.of(request);
		Dialect dialect;
		Object context;
		ContractViolation refused = null;
		try {
			dialect = server.ingress().dialect(handshake);
			context = server.ingress().accept(handshake);
		}
		catch (ContractViolation ex) {
			dialect = Dialect.HUB;
			context = null;
			refused = ex;
		}
		String token = handshake.token();
		Dialect speaks = dialect;
		Object accepted = context;
		ContractViolation violation = refused;
		return response.sendWebsocket((in, out) -> {
			// the handshake's headers are not kept for the connection's life
			UpgradedSockets.forgetHandshake(in, out);
			return serve(server, in, out, speaks, accepted, token, violation);
		}, WEBSOCKET);
	}

	private static <S> Mono<Void> serve(ConnectionServer<S> server, WebsocketInbound in, WebsocketOutbound out,
			Dialect dialect, @Nullable Object context, @Nullable String token, @Nullable ContractViolation violation) {
		if (server.draining()) {
			return out.sendClose(CloseCode.GOING_AWAY.code(), "server is shutting down");
		}
		if (violation != null) {
			String error = ServerMessage.error(violation.code(), violation.getMessage(), null).encode();
			return out.sendString(Mono.just(error))
				.then()
				.then(out.sendClose(CloseCode.PROTOCOL_ERROR.code(), "bad handshake"));
		}
		in.withConnection(FrameFaults::reportInsteadOfClosing);
		WebSocketTransport transport = new WebSocketTransport(out, dialect,
				server.ingress().limits().maxOutboundBytes());
		Connection connection = new Connection(transport, server.ingress().limits(), server.ingress().events());
		Conversation<S> conversation = new Conversation<>(server, connection, context);
		server.register(connection);
		// With a token in the handshake, frames wait until it is verified (on a sink: a
		// cached Mono would keep the token for the connection's life); without one, the
		// first frame must authenticate within the auth timeout.
		Sinks.Empty<Void> verified = Sinks.empty();
		Mono<Void> handshakeAuth = (token != null) ? verified.asMono() : Mono.empty();
		Disposable authentication = (token != null)
				? server.opening(connection, Mono.defer(() -> conversation.authenticate(token, null)))
					.subscribe(null, verified::tryEmitError, verified::tryEmitEmpty)
				: Mono.delay(server.ingress().limits().authTimeout())
					.filter((tick) -> !conversation.opened())
					.subscribe((tick) -> conversation.refuse(ErrorCode.UNAUTHORIZED,
							"no token within " + server.ingress().limits().authTimeout().toSeconds()
									+ " s: send {\"type\":\"auth\",\"data\":{\"token\":...}} first",
							CloseCode.UNAUTHORIZED));
		Served served = new Served(connection, transport, conversation, authentication, server);
		OneAtATime.handle(in.aggregateFrames(SocketConfiguration.TRANSPORT_MAX_FRAME).receiveFrames(), (received) -> {
			// read now: Reactor Netty releases the frame when this returns
			Inbound frame = Inbound.of(received);
			return handshakeAuth.onErrorComplete().then(Mono.defer(() -> conversation.receive(frame)));
		}).subscribe(served);
		transport.output().subscribe(null, null, served::outputEnded);
		return served.done();
	}

}
