package dev.agenthub.agent.session;

import java.time.Duration;

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
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.connection.ConnectionLimits;
import dev.agenthub.support.connection.Dialect;
import dev.agenthub.support.connection.Handshake;
import dev.agenthub.support.connection.Ingress;
import dev.agenthub.support.connection.WebSocketTransport;
import dev.agenthub.contracts.codec.HubJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What agent-service plugs into the connection core: agent tokens only (role
 * {@code agent} with a {@code workspace} claim), {@code register} for the token's
 * workspace within the register timeout (else 4003 / 1002), then events validated and
 * published on {@code workspace:{id}} in order, task output and status, lifecycle and
 * heartbeats. An agent faster than its budget is slowed (the core stops reading its
 * socket), never closed for speed.
 */
@Component
public class AgentIngress implements Ingress<AgentSession> {

	private final AgentSessions sessions;

	private final TaskMessages tasks;

	private final AgentRegistry registry;

	private final AgentProperties properties;

	private final ConnectionLimits limits;

	private final UploadRelay uploads;

	AgentIngress(AgentSessions sessions, TaskMessages tasks, AgentRegistry registry, AgentProperties properties,
			UploadRelay uploads) {
		this.uploads = uploads;
		this.sessions = sessions;
		this.tasks = tasks;
		this.registry = registry;
		this.properties = properties;
		// Liveness is the agent protocol's own (heartbeats, LivenessMonitor): no core
		// pings.
		this.limits = new ConnectionLimits(properties.maxFrameBytes(),
				(int) Math.min(Integer.MAX_VALUE, properties.throughput().toBytes()),
				(int) Math.min(Integer.MAX_VALUE, properties.throughputBurst().toBytes()),
				ConnectionLimits.RateMode.THROTTLE, properties.maxOutboundBytes(), Duration.ZERO, Duration.ZERO,
				properties.registerTimeout(),
				properties.heartbeatInterval().multipliedBy(properties.missedHeartbeats()), properties.maxConnections(),
				properties.maxOpening(), properties.connectionsPerSubject());
	}

	@Override
	public ConnectionLimits limits() {
		return this.limits;
	}

	@Override
	public Dialect dialect(Handshake handshake) {
		// Seed 001's daemon connects at /api/ws and speaks the flat shapes.
		Dialect fallback = handshake.path().startsWith("/api/") ? Dialect.FLAT : Dialect.HUB;
		return Dialect.named(handshake.query("dialect"), fallback);
	}

	@Override
	public void authorize(HubPrincipal principal) {
		if (!principal.has(Role.AGENT) || principal.workspace() == null) {
			throw new ContractViolation(ErrorCode.UNAUTHORIZED,
					"an agent token (role agent, claim workspace) is required");
		}
	}

	@Override
	public Mono<AgentSession> open(Connection connection, @Nullable Object context) {
		AgentSession session = new AgentSession(connection);
		this.registry.connected(session);
		session.registerTimeout(Mono.delay(this.properties.registerTimeout()).subscribe((tick) -> {
			if (!session.isRegistered()) {
				refuse(connection, ErrorCode.BAD_REQUEST,
						"no register within " + this.properties.registerTimeout().toSeconds() + " s",
						CloseCode.PROTOCOL_ERROR);
			}
		}));
		return Mono.just(session);
	}

	@Override
	public Mono<Void> opened(AgentSession session) {
		if (session.connection().transport() instanceof WebSocketTransport transport
				&& transport.dialect() == Dialect.FLAT) {
			// Seed 001's daemon never registers: its authentication registers it for the
			// token's workspace.
			ObjectNode data = HubJson.object().put("workspaceId", session.principal().workspace());
			return this.sessions.register(session, new ClientMessage(MessageTypes.REGISTER, null, data));
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> handle(AgentSession session, ClientMessage message) {
		session.heard();
		String type = message.type();
		if (MessageTypes.REGISTER.equals(type)) {
			return this.sessions.register(session, message);
		}
		if (!session.isRegistered()) {
			throw ContractViolation
				.badRequest("register first: {\"type\":\"register\",\"data\":{\"workspaceId\":...}}");
		}
		switch (type) {
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
				AgentEvents.validate(type, message.data(), session.workspaceId());
				if (!session.publisher().offer(type, message.data())) {
					throw new ContractViolation(ErrorCode.UNAVAILABLE,
							"too many events waiting to be published; slow down");
				}
				return Mono.empty();
		}
	}

	@Override
	public Mono<Void> closed(AgentSession session) {
		session.stopRegisterTimeout();
		return this.sessions.ended(session);
	}

	static void refuse(Connection connection, ErrorCode code, String reason, CloseCode close) {
		refuse(connection, code, reason, close, null);
	}

	/**
	 * Refuses a request and closes: the error is that request's reply (its id echoed; a
	 * Socket.IO agent's ack gets it instead of {@code ok}).
	 */
	static void refuse(Connection connection, ErrorCode code, String reason, CloseCode close,
			@Nullable JsonNode requestId) {
		connection.send(ServerMessage.error(code, reason, requestId));
		connection.close(close, reason);
	}

}
