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
 * The browser's terminal tabs:
 * {@code {"type":"tab:start","id":8,"data":{"workspaceId","tabId"?,"command","args"?,"cwd"?}}}
 * , {@code {"type":"tab:stop","id":9,"data":{"workspaceId","tabId"}}} and
 * {@code {"type":"tab:input","id":10,"data":{"workspaceId","tabId","data":"ls\n"}}} (text
 * typed into the tab, for its stdin, in the order sent; at most 16,384 characters). As
 * for {@code command} ({@link AgentServiceCalls}), the gateway checks that the user may
 * run commands in the workspace, then asks agent-service ({@code POST
 * /api/workspaces/{id}/tabs}, {@code DELETE /api/workspaces/{id}/tabs/{tabId}}) for the
 * user; the reply is {@code {"type":"ack","id":8,"data":{"tabId"}}} (the id agent-service
 * generated when none was given) or an {@code error} ({@code no_agent},
 * {@code forbidden}, {@code bad_request} for a {@code tabId} that is not 1 to 128
 * letters, digits, {@code - _ . @}, {@code too_large}). The agent's {@code tab:started},
 * {@code tab:output} and {@code tab:stopped} follow on {@code workspace:{id}}.
 */
@Component
class TabMessages implements GatewayMessageHandler {

	private static final Set<String> FORWARDED = Set.of("tabId", "command", "args", "cwd");

	private static final Set<String> INPUT = Set.of("data");

	private final AgentServiceCalls agentService;

	TabMessages(AgentServiceCalls agentService) {
		this.agentService = agentService;
	}

	@Override
	public Set<String> types() {
		return Set.of(MessageTypes.TAB_START, MessageTypes.TAB_STOP, MessageTypes.TAB_INPUT);
	}

	@Override
	public Mono<Void> handle(GatewaySession session, ClientMessage message) {
		return Mono.defer(() -> forward(session, message));
	}

	private Mono<Void> forward(GatewaySession session, ClientMessage message) {
		HubPrincipal principal = session.principal();
		String workspaceId = message.requireText("workspaceId");
		Mono<String> tabId;
		if (MessageTypes.TAB_START.equals(message.type())) {
			AgentServiceCalls.requireExec(principal, workspaceId, message.type());
			tabId = this.agentService
				.call(HttpMethod.POST, message.type(), principal, AgentServiceCalls.body(message, FORWARDED),
						"/api/workspaces/{id}/tabs", workspaceId)
				.map((reply) -> reply.path("tabId").asString());
		}
		else if (MessageTypes.TAB_INPUT.equals(message.type())) {
			String typedInto = AgentServiceCalls.requireId(message, "tabId");
			AgentServiceCalls.requireExec(principal, workspaceId, message.type());
			tabId = this.agentService
				.call(HttpMethod.POST, message.type(), principal, AgentServiceCalls.body(message, INPUT),
						"/api/workspaces/{id}/tabs/{tabId}/input", workspaceId, typedInto)
				.map((reply) -> reply.path("tabId").asString(typedInto));
		}
		else {
			String stopped = AgentServiceCalls.requireId(message, "tabId");
			AgentServiceCalls.requireExec(principal, workspaceId, message.type());
			tabId = this.agentService
				.call(HttpMethod.DELETE, message.type(), principal, null, "/api/workspaces/{id}/tabs/{tabId}",
						workspaceId, stopped)
				.map((reply) -> reply.path("tabId").asString(stopped));
		}
		return tabId.doOnNext((id) -> {
			ObjectNode ack = HubJson.object();
			ack.put("tabId", id);
			session.send(ServerMessage.of(MessageTypes.ACK, message.id(), ack));
		}).then();
	}

}
