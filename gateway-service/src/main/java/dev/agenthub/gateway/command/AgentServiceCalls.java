package dev.agenthub.gateway.command;

import java.time.Duration;
import java.util.Set;

import dev.agenthub.contracts.auth.OnBehalfOf;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.auth.ServiceTokenSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the socket messages that drive a workspace's agent ({@code command},
 * {@code tab:start}, {@code tab:stop}, {@code cancel}) share: the check that the user may
 * run commands in the workspace, and the call to agent-service
 * ({@code hub.gateway.agent-service-url}) with the gateway's service token, naming the
 * user in {@code X-Hub-On-Behalf-Of}. agent-service's refusals come back as the
 * {@code error} of the message with agent-service's code; an agent-service that does not
 * answer (within {@link #TIMEOUT}) is {@code unavailable}.
 */
@Component
class AgentServiceCalls {

	/** The header naming the user the gateway acts for, after it checked its rights. */
	static final String ON_BEHALF_OF = OnBehalfOf.HEADER;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebClient client;

	private final ServiceTokenSource tokens;

	AgentServiceCalls(WebClient.Builder builder, ServiceTokenSource tokens, GatewayProperties properties) {
		this.client = builder.clone().baseUrl(properties.agentServiceUrl()).build();
		this.tokens = tokens;
	}

	/**
	 * Refuses ({@code forbidden}) unless the user may see the workspace and run commands
	 * there (the token's {@code exec} claim, by default its workspaces).
	 * @param type the message type, for the error
	 */
	static void requireExec(HubPrincipal principal, String workspaceId, String type) {
		if (!principal.maySeeWorkspace(workspaceId)) {
			throw new ContractViolation(ErrorCode.FORBIDDEN, type + ": you may not use workspace " + workspaceId);
		}
		if (!principal.mayExecIn(workspaceId)) {
			throw new ContractViolation(ErrorCode.FORBIDDEN,
					type + ": you may watch but not run commands in workspace " + workspaceId);
		}
	}

	/**
	 * A required id of the message's data (a task's or a tab's): 1 to 128 letters,
	 * digits, {@code - _ . @}, as agent-service takes them; anything else is
	 * {@code bad_request} here, never put in a path.
	 */
	static String requireId(ClientMessage message, String field) {
		String id = message.requireText(field);
		if (!Channel.isValidId(id)) {
			throw ContractViolation
				.badRequest(message.type() + ": data." + field + " must be 1 to 128 letters, digits, - _ . @");
		}
		return id;
	}

	/** The fields of the message's data that are forwarded, as a request body. */
	static ObjectNode body(ClientMessage message, Set<String> forwarded) {
		ObjectNode body = HubJson.object();
		message.data().properties().forEach((entry) -> {
			if (forwarded.contains(entry.getKey())) {
				body.set(entry.getKey(), entry.getValue());
			}
		});
		return body;
	}

	/**
	 * Calls agent-service for the user.
	 * @param method the HTTP method
	 * @param type the message type, for errors
	 * @param user the user the gateway acts for (its rights checked already)
	 * @param body the JSON body, or {@code null}
	 * @param uri the path template, e.g. {@code /api/workspaces/{id}/tabs}
	 * @param variables the template's values (encoded)
	 * @return agent-service's answer when 2xx (an empty object for an empty one)
	 */
	Mono<JsonNode> call(HttpMethod method, String type, HubPrincipal user, JsonNode body, String uri,
			Object... variables) {
		WebClient.RequestBodySpec request = this.client.method(method)
			.uri(uri, variables)
			.header("Authorization", "Bearer " + this.tokens.token())
			.header(ON_BEHALF_OF, user.subject());
		WebClient.RequestHeadersSpec<?> spec = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(HubJson.write(body)) : request;
		return spec
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class)
				.defaultIfEmpty(HubJson.object())
				.flatMap((reply) -> response.statusCode().is2xxSuccessful() ? Mono.just(reply)
						: Mono.error(violation(reply, response.statusCode().value()))))
			.timeout(TIMEOUT)
			.onErrorMap((ex) -> !(ex instanceof ContractViolation), (ex) -> new ContractViolation(ErrorCode.UNAVAILABLE,
					type + ": agent-service is not reachable, try again (" + ex.getMessage() + ")"));
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
