package dev.agenthub.agent.session;

import java.time.Instant;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.events.AgentEvents;
import dev.agenthub.agent.events.OrderedPublisher;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.WorkspaceState;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.auth.HubTokenVerifier;
import dev.agenthub.support.socket.SocketConnection;
import dev.agenthub.support.socket.SocketConnection.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agents' raw JSON protocol at {@code /agent/ws}: an agent token in the handshake,
 * {@code register} for the token's workspace (else 4003), then events validated and
 * published on {@code workspace:{id}} in order; {@code workspace:state} on connect and
 * disconnect. Bad input gets an {@code error}; the session stays.
 */
@Component
public class AgentSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(AgentSocketHandler.class);

	private final HubTokenVerifier verifier;

	private final Broker broker;

	private final AgentRegistry registry;

	private final AgentProperties properties;

	private volatile boolean draining;

	public AgentSocketHandler(HubTokenVerifier verifier, Broker broker, AgentRegistry registry,
			AgentProperties properties) {
		this.verifier = verifier;
		this.broker = broker;
		this.registry = registry;
		this.properties = properties;
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
		Disposable authentication = authenticate(session, SocketConnection.tokenOf(socket.getHandshakeInfo()));
		Mono<Void> input = SocketConnection.receive(socket)
			.concatMap((message) -> onMessage(session, message), 1)
			.then()
			.doFinally((signal) -> connection.markClosed());
		return Mono.when(input, connection.output()).doFinally((signal) -> {
			authentication.dispose();
			disconnected(session);
		});
	}

	private Disposable authenticate(AgentSession session, String token) {
		SocketConnection connection = session.connection();
		return this.verifier.verify(token).flatMap((principal) -> {
			if (!principal.has(Role.AGENT) || principal.workspace() == null) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						"an agent token (role agent, claim workspace) is required"));
			}
			session.principal(principal);
			return Mono.delay(this.properties.registerTimeout());
		}).subscribe((timeout) -> {
			if (!session.isRegistered()) {
				refuse(connection, ErrorCode.BAD_REQUEST,
						"no register within " + this.properties.registerTimeout().toSeconds() + " s",
						CloseCode.PROTOCOL_ERROR);
			}
		}, (ex) -> {
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
		try {
			handle(session, ClientMessage.parse(message.text()));
		}
		catch (ContractViolation ex) {
			connection.send(ServerMessage.error(ex.code(), ex.getMessage(), null));
		}
		return Mono.empty();
	}

	private void handle(AgentSession session, ClientMessage message) {
		SocketConnection connection = session.connection();
		String type = message.type();
		if (MessageTypes.PING.equals(type)) {
			connection.send(ServerMessage.of(MessageTypes.PONG, message.id(), null));
			return;
		}
		if (session.principal() == null) {
			throw new ContractViolation(ErrorCode.UNAUTHORIZED, "not authenticated");
		}
		if (MessageTypes.REGISTER.equals(type)) {
			register(session, message);
			return;
		}
		if (!session.isRegistered()) {
			throw ContractViolation
				.badRequest("register first: {\"type\":\"register\",\"data\":{\"workspaceId\":...}}");
		}
		if (MessageTypes.HEARTBEAT.equals(type) || MessageTypes.PONG.equals(type)) {
			return;
		}
		AgentEvents.validate(type, message.data());
		if (!session.publisher().offer(type, message.data())) {
			throw new ContractViolation(ErrorCode.UNAVAILABLE, "too many events waiting to be published; slow down");
		}
	}

	private void register(AgentSession session, ClientMessage message) {
		SocketConnection connection = session.connection();
		HubPrincipal principal = session.principal();
		String workspaceId = message.requireText("workspaceId");
		String version = message.optionalText("version");
		if (!workspaceId.equals(principal.workspace())) {
			refuse(connection, ErrorCode.FORBIDDEN,
					"this agent token is for workspace " + principal.workspace() + ", not " + workspaceId,
					CloseCode.FORBIDDEN);
			return;
		}
		if (session.isRegistered()) {
			throw ContractViolation.badRequest("already registered");
		}
		String channel = Channel.workspace(workspaceId).name();
		OrderedPublisher publisher = new OrderedPublisher(this.broker, channel, this.properties.maxPendingPublishes(),
				this.properties.coalesceWindow(), this.properties.coalesceMaxBytes(), (ex) -> {
					logger.warn("Publish for workspace {} failed: {}", workspaceId, ex.toString());
					connection.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
							"event not published: " + ex.getMessage(), null));
				});
		session.registered(workspaceId, (version != null) ? version : "unknown", publisher);
		this.registry.register(session);
		ObjectNode data = HubJson.object();
		data.put("sessionId", session.sessionId());
		data.put("heartbeatIntervalMs", this.properties.heartbeatInterval().toMillis());
		connection.send(new ServerMessage(MessageTypes.REGISTERED, message.id(), data, Instant.now()));
		if (version != null && Versions.older(version, this.properties.minVersion())) {
			ObjectNode update = HubJson.object();
			update.put("requiredVersion", this.properties.minVersion());
			connection.send(ServerMessage.of(MessageTypes.AGENT_UPDATE, null, update));
		}
		publisher.offer(EventType.WORKSPACE_STATE.wireName(),
				HubJson.tree(new WorkspaceState(workspaceId, true, session.version(), "connected", null)));
	}

	private void disconnected(AgentSession session) {
		boolean current = this.registry.remove(session);
		OrderedPublisher publisher = session.publisher();
		if (publisher == null) {
			return;
		}
		if (current) {
			publisher.offer(EventType.WORKSPACE_STATE.wireName(), HubJson
				.tree(new WorkspaceState(session.workspaceId(), false, session.version(), "disconnected", null)));
		}
		publisher.close();
	}

	private static void refuse(SocketConnection connection, ErrorCode code, String reason, CloseCode close) {
		connection.send(ServerMessage.error(code, reason, null));
		connection.close(close, reason);
	}

	/** Refuses new connections from now on (graceful shutdown). */
	public void drain() {
		this.draining = true;
	}

}
