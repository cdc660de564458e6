package dev.agenthub.agent.socketio;

import dev.agenthub.agent.session.AgentSession;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.support.auth.HubTokenVerifier;
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

	private final HubTokenVerifier verifier;

	private final ConnectionServer<AgentSession> core;

	AgentNamespace(HubTokenVerifier verifier, ConnectionServer<AgentSession> core) {
		this.verifier = verifier;
		this.core = core;
	}

	@Override
	public Mono<ConnectDecision> onConnect(HandshakeInfo handshake, JsonNode auth) {
		String token = auth.path("token").asString(null);
		if (token == null) {
			token = handshake.queryParam("token");
		}
		if (token == null || token.isBlank()) {
			return Mono.just(refuse(ErrorCode.UNAUTHORIZED, "an agent token is required: auth {\"token\": ...}"));
		}
		ConnectDecision busy = this.core.refusesSocketIo();
		if (busy != null) {
			return Mono.just(busy);
		}
		return this.verifier.verify(token).map((principal) -> {
			try {
				this.core.ingress().authorize(principal);
			}
			catch (ContractViolation ex) {
				return refuse(ErrorCode.FORBIDDEN, ex.getMessage());
			}
			ConnectDecision tooMany = this.core.refusesSubject(principal);
			return (tooMany != null) ? tooMany : ConnectDecision.accept(this.core.socketIo(principal, null));
		}).onErrorResume((ex) -> Mono.just(refuse(ErrorCode.UNAUTHORIZED, "token refused: " + ex.getMessage())));
	}

	private static ConnectDecision refuse(ErrorCode code, String reason) {
		ObjectNode data = HubJson.object();
		data.put("code", code.code());
		data.put("error", reason);
		return ConnectDecision.reject("Not authorized", data);
	}

}
