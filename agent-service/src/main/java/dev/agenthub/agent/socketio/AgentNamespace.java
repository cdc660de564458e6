package dev.agenthub.agent.socketio;

import dev.agenthub.agent.session.AgentSocketHandler;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.socketio.ConnectDecision;
import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.HandshakeInfo;
import dev.agenthub.socketio.NamespaceHandler;
import dev.agenthub.socketio.SioEvent;
import dev.agenthub.socketio.SioSocket;
import dev.agenthub.socketio.SocketListener;
import dev.agenthub.support.auth.HubTokenVerifier;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespace {@code /agent}: the CONNECT {@code auth} payload's agent token
 * ({@code {"token": ...}}, role {@code agent} with a {@code workspace} claim) is checked
 * before the socket is accepted ({@code connect_error} otherwise); the accepted socket is
 * then served by {@link AgentSocketHandler}, exactly like a raw {@code /agent/ws}
 * connection.
 */
final class AgentNamespace implements NamespaceHandler {

	private final HubTokenVerifier verifier;

	private final AgentSocketHandler handler;

	AgentNamespace(HubTokenVerifier verifier, AgentSocketHandler handler) {
		this.verifier = verifier;
		this.handler = handler;
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
		if (this.handler.draining()) {
			return Mono.just(ConnectDecision.reject("Server shutting down"));
		}
		String verified = token;
		return this.verifier.verify(token).map((principal) -> {
			if (!principal.has(Role.AGENT) || principal.workspace() == null) {
				return refuse(ErrorCode.FORBIDDEN, "an agent token (role agent, claim workspace) is required");
			}
			return ConnectDecision.accept(new Listener(verified));
		}).onErrorResume((ex) -> Mono.just(refuse(ErrorCode.UNAUTHORIZED, "token refused: " + ex.getMessage())));
	}

	private static ConnectDecision refuse(ErrorCode code, String reason) {
		ObjectNode data = HubJson.object();
		data.put("code", code.code());
		data.put("error", reason);
		return ConnectDecision.reject("Not authorized", data);
	}

	/** One agent socket: its WebSocket face, run by the raw protocol's handler. */
	private final class Listener implements SocketListener {

		private final String token;

		private SioWebSocketSession session;

		Listener(String token) {
			this.token = token;
		}

		@Override
		public void onConnect(SioSocket socket) {
			this.session = new SioWebSocketSession(socket, this.token);
			AgentNamespace.this.handler.handle(this.session).subscribe(null, (ex) -> socket.close());
		}

		@Override
		public void onEvent(SioSocket socket, SioEvent event) {
			this.session.inbound(event);
		}

		@Override
		public void onDisconnect(SioSocket socket, DisconnectReason reason) {
			if (this.session != null) {
				this.session.disconnected();
			}
		}

	}

}
