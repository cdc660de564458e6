package dev.agenthub.agent.session;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.events.AgentEvents;
import dev.agenthub.agent.upload.UploadRelay;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.socket.SocketConnection;
import dev.agenthub.support.socket.SocketConnection.Inbound;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The agents' raw JSON protocol at {@code /agent/ws}: an agent token in the handshake,
 * {@code register} for the token's workspace (else 4003), then events validated and
 * published on {@code workspace:{id}} in order; {@code workspace:state} on connect and
 * disconnect. Bad input gets an {@code error}; the session stays.
 */
@Component
public class AgentSocketHandler implements WebSocketHandler {

	private final HubTokenVerifier verifier;

	private final AgentSessions sessions;

	private final TaskMessages tasks;

	private final AgentRegistry registry;

	private final AgentProperties properties;

	private final UploadRelay uploads;

	private volatile boolean draining;

	AgentSocketHandler(HubTokenVerifier verifier, AgentSessions sessions, TaskMessages tasks, AgentRegistry registry,
			AgentProperties properties, UploadRelay uploads) {
		this.verifier = verifier;
		this.sessions = sessions;
		this.tasks = tasks;
		this.registry = registry;
		this.properties = properties;
		this.uploads = uploads;
	}

	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		if (this.draining) {
			return socket.close(new CloseStatus(CloseCode.GOING_AWAY.code(), "server is shutting down"));
		}
		SocketConnection connection = new SocketConnection(socket, this.properties.maxOutboundBytes(),
				this.properties.ratePerSecond(), this.properties.rateBurst(), () -> {
				});
		AgentSession session = new AgentSession(connection);
		this.registry.connected(session);
		// Messages wait until the handshake's token is verified.
		Mono<Void> verified = authenticate(session, SocketConnection.tokenOf(socket.getHandshakeInfo())).cache();
		Disposable authentication = verified.then(Mono.delay(this.properties.registerTimeout()))
			.subscribe((timeout) -> {
				if (!session.isRegistered()) {
					refuse(connection, ErrorCode.BAD_REQUEST,
							"no register within " + this.properties.registerTimeout().toSeconds() + " s",
							CloseCode.PROTOCOL_ERROR);
				}
			}, (ex) -> {
				// Refused in authenticate.
			});
		Mono<Void> input = SocketConnection.receive(socket)
			.concatMap((message) -> verified.onErrorComplete().then(Mono.defer(() -> onMessage(session, message))), 1)
			.then()
			.doFinally((signal) -> connection.markClosed());
		return Mono.when(input, connection.output()).onErrorResume((ex) -> Mono.empty()).then(Mono.defer(() -> {
			authentication.dispose();
			return this.sessions.ended(session);
		}));
	}

	private Mono<Void> authenticate(AgentSession session, String token) {
		SocketConnection connection = session.connection();
		return this.verifier.verify(token).flatMap((principal) -> {
			if (!principal.has(Role.AGENT) || principal.workspace() == null) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						"an agent token (role agent, claim workspace) is required"));
			}
			session.principal(principal);
			return Mono.<Void>empty();
		}).doOnError((ex) -> {
			ErrorCode code = (ex instanceof ContractViolation violation) ? violation.code() : ErrorCode.UNAUTHORIZED;
			refuse(connection, code, (token == null) ? "an agent token is required (?token= or Authorization: Bearer)"
					: "token refused: " + ex.getMessage(), CloseCode.UNAUTHORIZED);
		});
	}

	private Mono<Void> onMessage(AgentSession session, Inbound message) {
		SocketConnection connection = session.connection();
		connection.touch();
		if (message.control() || connection.isClosed()) {
			return Mono.empty();
		}
		session.heard();
		if (message.size() > this.properties.maxFrameBytes()) {
			connection.send(ServerMessage.error(ErrorCode.TOO_LARGE,
					"frame of " + message.size() + " bytes is over the limit of " + this.properties.maxFrameBytes(),
					null));
			connection.close(CloseCode.MESSAGE_TOO_BIG, "frame too large");
			return Mono.empty();
		}
		if (!connection.tryAcquireInbound()) {
			connection.send(ServerMessage.error(ErrorCode.RATE_LIMITED,
					"more than " + this.properties.ratePerSecond() + " messages/s", null));
			connection.close(CloseCode.RATE_LIMITED, "rate limit exceeded");
			return Mono.empty();
		}
		if (message.type() != WebSocketMessage.Type.TEXT) {
			connection.send(ServerMessage.error(ErrorCode.BAD_REQUEST, "send JSON text frames", null));
			return Mono.empty();
		}
		ClientMessage parsed;
		try {
			parsed = ClientMessage.parse(message.text());
			return handle(session, parsed).onErrorResume(ContractViolation.class, (ex) -> {
				connection.send(ServerMessage.error(ex.code(), ex.getMessage(), null));
				return Mono.empty();
			});
		}
		catch (ContractViolation ex) {
			connection.send(ServerMessage.error(ex.code(), ex.getMessage(), null));
			return Mono.empty();
		}
	}

	private Mono<Void> handle(AgentSession session, ClientMessage message) {
		SocketConnection connection = session.connection();
		String type = message.type();
		if (MessageTypes.PING.equals(type)) {
			connection.send(ServerMessage.of(MessageTypes.PONG, message.id(), null));
			return Mono.empty();
		}
		if (session.principal() == null) {
			throw new ContractViolation(ErrorCode.UNAUTHORIZED, "not authenticated");
		}
		if (MessageTypes.REGISTER.equals(type)) {
			return this.sessions.register(session, message);
		}
		if (!session.isRegistered()) {
			throw ContractViolation
				.badRequest("register first: {\"type\":\"register\",\"data\":{\"workspaceId\":...}}");
		}
		switch (type) {
			case MessageTypes.PONG:
				return Mono.empty();
			case MessageTypes.HEARTBEAT:
				return this.sessions.heartbeat(session, message.data());
			case MessageTypes.LIFECYCLE:
				return this.sessions.lifecycle(session, message.requireText("state"));
			case MessageTypes.OUTPUT, MessageTypes.STATUS:
				return this.tasks.handle(session, type, message.data());
			case MessageTypes.UPLOAD_ACK, MessageTypes.UPLOAD_RESULT:
				this.uploads.fromAgent(session.workspaceId(), type, message.data());
				return Mono.empty();
			default:
				AgentEvents.validate(type, message.data());
				if (!session.publisher().offer(type, message.data())) {
					throw new ContractViolation(ErrorCode.UNAVAILABLE,
							"too many events waiting to be published; slow down");
				}
				return Mono.empty();
		}
	}

	static void refuse(SocketConnection connection, ErrorCode code, String reason, CloseCode close) {
		connection.send(ServerMessage.error(code, reason, null));
		connection.close(close, reason);
	}

	/** Refuses new connections from now on (graceful shutdown). */
	public void drain() {
		this.draining = true;
	}

	/** Whether new connections are refused. */
	public boolean draining() {
		return this.draining;
	}

}
