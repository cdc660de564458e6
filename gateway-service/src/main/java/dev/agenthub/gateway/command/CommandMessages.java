package dev.agenthub.gateway.command;

import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The browser's {@code command} message:
 * {@code {"type":"command","id":7,"data":{"workspaceId","command","args","cwd","env"?,"timeoutSeconds"?,"taskId"?}}}.
 * The gateway checks that the user may run commands in the workspace (the token's
 * {@code exec} claim, by default its workspaces), then asks agent-service ({@code POST
 * /api/workspaces/{id}/commands}, {@code hub.gateway.agent-service-url}) with its service
 * token, naming the user in {@code X-Hub-On-Behalf-Of} ({@link AgentServiceCalls}); the
 * reply is {@code {"type":"ack","id":7,"data":{"taskId","status","duplicate"}}}
 * ({@code duplicate} with the task's current status when the same user sent the same
 * request under the same {@code taskId} before), or an {@code error} with agent-service's
 * code (e.g. {@code no_agent}, {@code conflict} for a {@code taskId} used for another
 * request). Output and status then arrive as {@code task:output}/{@code task:status} on
 * {@code workspace:{id}} and {@code task:{taskId}}.
 */
@Component
class CommandMessages implements GatewayMessageHandler {

	private static final Set<String> FORWARDED = Set.of("command", "args", "cwd", "env", "timeoutSeconds", "taskId");

	private final AgentServiceCalls agentService;

	CommandMessages(AgentServiceCalls agentService) {
		this.agentService = agentService;
	}

	@Override
	public Set<String> types() {
		return Set.of(MessageTypes.COMMAND);
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		return Mono.defer(() -> forward(session, message));
	}

	private Mono<Void> forward(GatewaySession session, ClientMessage message) {
		HubPrincipal principal = session.principal();
		String workspaceId = message.requireText("workspaceId");
		AgentServiceCalls.requireExec(principal, workspaceId, message.type());
		return this.agentService
			.call(HttpMethod.POST, message.type(), principal, AgentServiceCalls.body(message, FORWARDED),
					"/api/workspaces/{id}/commands", workspaceId)
			.doOnNext((reply) -> {
				// All of agent-service's answer: a repeat of an earlier request is told
				// apart (duplicate, the task's current status), never taken for a new
				// task.
				ObjectNode ack = HubJson.object();
				ack.put("taskId", reply.path("taskId").asString());
				ack.put("status", reply.path("status").asString("queued"));
				ack.put("duplicate", reply.path("duplicate").asBoolean(false));
				session.send(ServerMessage.of(MessageTypes.ACK, message.id(), ack));
			})
			.then();
	}

}
