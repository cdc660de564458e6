package dev.agenthub.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.subscription.SubscriptionService;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.socket.SocketConnection;
import dev.agenthub.support.socket.SocketConnection.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The raw JSON protocol at {@code /ws}: authentication (query, header or first message
 * within the auth timeout), limits (frame size 1009, rate 4008), and dispatch of each
 * message to its {@link GatewayMessageHandler}, one message at a time per connection. Bad
 * input gets an {@code error} reply and the connection stays.
 */
@Component
public class RawSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(RawSocketHandler.class);

	private final SessionRegistry registry;

	private final HubTokenVerifier verifier;

	private final SubscriptionService subscriptions;

	private final List<GatewayMessageHandler> handlers;

	private final GatewayProperties properties;

	private final List<GatewaySession.SessionListener> listeners;

	private final GatewayMetrics metrics;

	private volatile boolean draining;

	public RawSocketHandler(SessionRegistry registry, HubTokenVerifier verifier, SubscriptionService subscriptions,
			List<GatewayMessageHandler> handlers, GatewayProperties properties,
			List<GatewaySession.SessionListener> listeners, GatewayMetrics metrics) {
		this.registry = registry;
		this.verifier = verifier;
		this.subscriptions = subscriptions;
		this.handlers = handlers;
		this.properties = properties;
		this.listeners = listeners;
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		if (this.draining) {
			return socket.close(new CloseStatus(CloseCode.GOING_AWAY.code(), "server is shutting down"));
		}
		SocketConnection connection = new SocketConnection(socket, this.properties.maxOutboundBytes(),
				this.properties.ratePerSecond(), this.properties.rateBurst(), this::slowReader);
		GatewaySession session = new GatewaySession(connection, this.metrics);
		HandshakeInfo handshake = socket.getHandshakeInfo();
		String clientId = handshake.getHeaders().getFirst("x-client-id");
		session.clientId((clientId != null && !clientId.isBlank()) ? clientId : UUID.randomUUID().toString());
		this.registry.add(session);
		String token = SocketConnection.tokenOf(handshake);
		// With a token in the handshake, messages wait until it is verified; without one,
		// the first message must authenticate within the auth timeout.
		Mono<Void> handshakeAuth = (token != null) ? authenticate(session, token, null).cache() : Mono.empty();
		Disposable authTimeout = (token != null) ? handshakeAuth.subscribe()
				: Mono.delay(this.properties.authTimeout())
					.filter((tick) -> session.principal() == null)
					.subscribe((tick) -> refuse(session, "no token within " + this.properties.authTimeout().toSeconds()
							+ " s: send {\"type\":\"auth\",\"data\":{\"token\":...}} first"));
		Mono<Void> input = SocketConnection.receive(socket)
			.concatMap((message) -> handshakeAuth.onErrorComplete().then(Mono.defer(() -> onMessage(session, message))),
					1)
			.then()
			.doFinally((signal) -> connection.markClosed());
		Mono<Void> output = connection.output();
		return Mono.when(input, output).doFinally((signal) -> {
			authTimeout.dispose();
			this.subscriptions.leaveAll(session);
			this.registry.remove(session);
			if (session.principal() != null) {
				this.listeners.forEach((listener) -> listener.closed(session));
			}
		});
	}

	private Mono<Void> onMessage(GatewaySession session, Inbound message) {
		session.connection().touch();
		if (message.control() || session.isClosed()) {
			return Mono.empty();
		}
		int size = message.size();
		if (size > this.properties.maxFrameBytes()) {
			session.send(ServerMessage.error(ErrorCode.TOO_LARGE,
					"frame of " + size + " bytes is over the limit of " + this.properties.maxFrameBytes(), null));
			session.close(CloseCode.MESSAGE_TOO_BIG, "frame over " + this.properties.maxFrameBytes() + " bytes");
			return Mono.empty();
		}
		if (!session.connection().tryAcquireInbound()) {
			session.send(ServerMessage.error(ErrorCode.RATE_LIMITED, "more than " + this.properties.ratePerSecond()
					+ " messages/s (burst " + this.properties.rateBurst() + ")", null));
			this.metrics.rateLimitClosed();
			session.close(CloseCode.RATE_LIMITED, "rate limit exceeded");
			return Mono.empty();
		}
		this.metrics.messageIn();
		if (message.type() == WebSocketMessage.Type.BINARY) {
			session.send(ServerMessage.error(ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text",
					null));
			return Mono.empty();
		}
		ClientMessage parsed;
		try {
			parsed = ClientMessage.parse(message.text());
		}
		catch (ContractViolation ex) {
			session.send(ServerMessage.error(ex.code(), ex.getMessage(), null));
			return Mono.empty();
		}
		return dispatch(session, parsed).onErrorResume((ex) -> {
			if (ex instanceof ContractViolation violation) {
				session.send(ServerMessage.error(violation.code(), violation.getMessage(), parsed.id()));
			}
			else {
				logger.warn("Failed to handle {} on {}", parsed.type(), session.id(), ex);
				session.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
						parsed.type() + " failed: " + ex.getClass().getSimpleName() + ", try again", parsed.id()));
			}
			return Mono.empty();
		});
	}

	private Mono<Void> dispatch(GatewaySession session, ClientMessage message) {
		String type = message.type();
		if (MessageTypes.PING.equals(type)) {
			session.send(ServerMessage.of(MessageTypes.PONG, message.id(), null));
			return Mono.empty();
		}
		if (MessageTypes.PONG.equals(type)) {
			return Mono.empty();
		}
		if (MessageTypes.AUTH.equals(type)) {
			if (session.principal() != null) {
				return Mono.error(ContractViolation.badRequest("already authenticated"));
			}
			return authenticate(session, message.requireText("token"), message);
		}
		if (session.principal() == null) {
			return Mono.error(new ContractViolation(ErrorCode.UNAUTHORIZED,
					"authenticate first: {\"type\":\"auth\",\"data\":{\"token\":...}}"));
		}
		for (GatewayMessageHandler handler : this.handlers) {
			if (handler.handles(type)) {
				return Mono.defer(() -> handler.handle(session, message));
			}
		}
		return Mono.error(ContractViolation.badRequest("unknown message type '" + type + "'"));
	}

	private Mono<Void> authenticate(GatewaySession session, String token, ClientMessage message) {
		return this.verifier.verify(token).flatMap((principal) -> {
			session.authenticated(principal);
			this.registry.claimClientId(session, session.clientId());
			ObjectNode data = HubJson.object();
			data.put("success", true);
			data.put("userId", principal.subject());
			data.put("clientId", session.clientId());
			// The reply goes once the implicit channels are live, so nothing sent to them
			// after the client saw it is missed.
			return this.subscriptions.joinImplicit(session).doOnSuccess((done) -> {
				session.send(new ServerMessage(MessageTypes.AUTH, (message != null) ? message.id() : null, data,
						Instant.now()));
				this.listeners.forEach((listener) -> listener.authenticated(session));
			});
		}).onErrorResume((ex) -> {
			if (session.principal() == null) {
				refuse(session, ex.getMessage());
				return Mono.empty();
			}
			return Mono.error(ex);
		});
	}

	private void refuse(GatewaySession session, String reason) {
		ObjectNode data = HubJson.object();
		data.put("success", false);
		data.put("code", ErrorCode.UNAUTHORIZED.code());
		data.put("error", (reason != null) ? reason : "invalid token");
		session.send(ServerMessage.of(MessageTypes.AUTH, null, data));
		session.close(CloseCode.UNAUTHORIZED, "authentication failed");
	}

	private void slowReader() {
		this.metrics.slowReaderClosed();
		this.listeners.forEach(GatewaySession.SessionListener::slowReader);
	}

	/** Refuses new connections from now on (graceful shutdown). */
	void drain() {
		this.draining = true;
	}

}
