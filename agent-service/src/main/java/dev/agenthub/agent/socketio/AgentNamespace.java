package dev.agenthub.agent.socketio;

import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.support.connection.ConnectionServer;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespace {@code /agent}: the CONNECT {@code auth} payload's agent token
 * ({@code {"token": ...}}, role {@code agent} with a {@code workspace} claim) is checked
 * before the socket is accepted ({@code connect_error} otherwise); the accepted socket is
 * then served by the connection core exactly like a raw {@code /agent/ws} connection.
 */
final class AgentNamespace implements NamespaceHandler {

	private final ConnectionServer<AgentSession> core;

	AgentNamespace(ConnectionServer<AgentSession> core) {
		this.core = core;
	}

	@Override
	public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
		ConnectDecision busy = this.core.refusesSocketIo();
		if (busy != null) {
			return Mono.just(busy);
		}
		return this.core.socketIoPrincipal(handshake, auth).map((principal) -> {
			try {
				this.core.ingress().authorize(principal);
			}
			catch (ContractViolation ex) {
				return refuse(ErrorCode.FORBIDDEN, ex.getMessage());
			}
			ConnectDecision tooMany = this.core.refusesSubject(principal);
			return (tooMany != null) ? tooMany : ConnectDecision.accept(this.core.socketIo(principal, null));
		})
			.switchIfEmpty(Mono.fromSupplier(
					() -> refuse(ErrorCode.UNAUTHORIZED, "an agent token is required: auth {\"token\": ...}")))
			.onErrorResume((ex) -> Mono.just(refuse(ErrorCode.UNAUTHORIZED, "token refused: " + ex.getMessage())));
	}

	private static ConnectDecision refuse(ErrorCode code, String reason) {
		ObjectNode data = HubJson.object();
		data.put("code", code.code());
		data.put("error", reason);
		return ConnectDecision.reject("Not authorized", data);
	}

}
