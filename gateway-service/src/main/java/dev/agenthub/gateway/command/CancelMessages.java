package dev.agenthub.gateway.command;

import java.util.Set;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.ChannelOwners;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The browser's {@code cancel} message:
 * {@code {"type":"cancel","id":10,"data":{"taskId"}}}. The task's workspace is its
 * {@code task:} channel's owner (agent-service's {@code GET
 * /api/channels/{channel}/owner}, through {@link ChannelOwners}); a task the user may not
 * see is {@code not_found}, as a missing one (the answer neither confirms it exists nor
 * names its workspace), one in a workspace the user may only watch {@code forbidden}.
 * Then the gateway asks agent-service to cancel it in that workspace ({@code POST
 * /api/workspaces/{id}/tasks/{taskId}/cancel}, for the user; agent-service answers 404
 * for a task of any other workspace, so it never cancels a task outside the workspace the
 * gateway checked). The reply is
 * {@code {"type":"ack","id":10,"data":{"taskId","status"}}}: the task's status when the
 * agent was asked ({@code task:status cancelled} follows), or {@code cancelled} when no
 * agent was connected; an ended task is {@code conflict}.
 */
@Component
class CancelMessages implements GatewayMessageHandler {

	private final AgentServiceCalls agentService;

	private final ChannelOwners owners;

	CancelMessages(AgentServiceCalls agentService, ChannelOwners owners) {
		this.agentService = agentService;
		this.owners = owners;
	}

	@Override
	public Set<String> types() {
		return Set.of(MessageTypes.CANCEL);
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		return Mono.defer(() -> forward(session, message));
	}

	private Mono<Void> forward(GatewaySession session, ClientMessage message) {
		String taskId = AgentServiceCalls.requireId(message, "taskId");
		return this.owners.workspaceOf(Channel.task(taskId))
			.filter((workspaceId) -> session.principal().maySeeWorkspace(workspaceId))
			.switchIfEmpty(Mono
				.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, message.type() + ": no task " + taskId)))
			.flatMap((workspaceId) -> {
				HubPrincipal principal = session.principal();
				AgentServiceCalls.requireExec(principal, workspaceId, message.type());
				return this.agentService.call(HttpMethod.POST, message.type(), principal, null,
						"/api/workspaces/{id}/tasks/{taskId}/cancel", workspaceId, taskId);
			})
			.doOnNext((reply) -> {
				ObjectNode ack = HubJson.object();
				ack.put("taskId", taskId);
				ack.put("status", reply.path("status").asString());
				session.send(ServerMessage.of(MessageTypes.ACK, message.id(), ack));
			})
			.then();
	}

}
