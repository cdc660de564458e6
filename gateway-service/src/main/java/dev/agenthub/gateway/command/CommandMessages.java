package dev.agenthub.gateway.command;

import java.time.Duration;
import java.util.Set;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.protocol.GatewayMessageHandler;
import dev.agenthub.support.auth.ServiceTokenSource;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The browser's {@code command} message:
 * {@code {"type":"command","id":7,"data":{"workspaceId","command","args","cwd","env"?,"timeoutSeconds"?,"taskId"?}}}.
 * The gateway checks that the user may run commands in the workspace (the token's
 * {@code exec} claim, by default its workspaces), then asks agent-service ({@code POST
 * /api/workspaces/{id}/commands}, {@code hub.gateway.agent-service-url}) with its service
 * token, naming the user in {@code X-Hub-On-Behalf-Of}; the reply is
 * {@code {"type":"ack","id":7,"data":{"taskId","status","duplicate"}}} ({@code duplicate}
 * with the task's current status when the same user sent the same request under the same
 * {@code taskId} before), or an {@code error} with agent-service's code (e.g.
 * {@code no_agent}, {@code conflict} for a {@code taskId} used for another request).
 * Output and status then arrive as {@code task:output}/{@code task:status} on
 * {@code workspace:{id}} and {@code task:{taskId}}.
 */
@Component
class CommandMessages implements GatewayMessageHandler {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Set<String> FORWARDED = Set.of("command", "args", "cwd", "env", "timeoutSeconds", "taskId");

	private final WebClient client;

	private final ServiceTokenSource tokens;

	CommandMessages(WebClient.Builder builder, ServiceTokenSource tokens,
			@Value("${hub.gateway.agent-service-url:http://localhost:8081}") String agentServiceUrl) {
		this.client = builder.clone().baseUrl(agentServiceUrl).build();
		this.tokens = tokens;
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
		if (!principal.maySeeWorkspace(workspaceId)) {
			return Mono
				.error(new ContractViolation(ErrorCode.FORBIDDEN, "command: you may not use workspace " + workspaceId));
		}
		if (!principal.mayExecIn(workspaceId)) {
			return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
					"command: you may watch but not run commands in workspace " + workspaceId));
		}
		ObjectNode body = HubJson.object();
		message.data().properties().forEach((entry) -> {
			if (FORWARDED.contains(entry.getKey())) {
				body.set(entry.getKey(), entry.getValue());
			}
		});
		return this.client.post()
			.uri("/api/workspaces/{id}/commands", workspaceId)
			.header("Authorization", "Bearer " + this.tokens.token())
			.header("X-Hub-On-Behalf-Of", principal.subject())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(HubJson.write(body))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class)
				.defaultIfEmpty(HubJson.object())
				.flatMap((reply) -> response.statusCode().is2xxSuccessful() ? Mono.just(reply)
						: Mono.error(violation(reply, response.statusCode().value()))))
			.timeout(TIMEOUT)
			.onErrorMap((ex) -> !(ex instanceof ContractViolation),
					(ex) -> new ContractViolation(ErrorCode.UNAVAILABLE,
							"command: agent-service is not reachable, try again (" + ex.getMessage() + ")"))
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

	private static ContractViolation violation(JsonNode reply, int status) {
		String code = reply.path("code").asString("");
		String error = reply.path("error").asString("agent-service answered " + status);
		for (ErrorCode candidate : ErrorCode.values()) {
			if (candidate.code().equals(code)) {
				return new ContractViolation(candidate, error);
			}
		}
		return new ContractViolation((status >= 500) ? ErrorCode.UNAVAILABLE : ErrorCode.BAD_REQUEST, error);
	}

}
