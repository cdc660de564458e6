package dev.agenthub.agent.web;

import java.util.Map;

import dev.agenthub.agent.task.CommandService;
import dev.agenthub.agent.task.TabRequest;
import dev.agenthub.contracts.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Terminal tabs of a workspace's agent: {@code POST /api/workspaces/{id}/tabs}
 * {@code {tabId?, command, args?, cwd?}} sends {@code tab:start} (202 {@code {tabId}}, a
 * generated id when none was given), {@code DELETE /api/workspaces/{id}/tabs/{tabId}}
 * sends {@code tab:stop} (202 {@code {tabId}}), {@code POST
 * /api/workspaces/{id}/tabs/{tabId}/input} {@code {data}} sends {@code tab:input}, text
 * typed into the tab for its stdin (202 {@code {tabId}}; at most 16,384 characters, in
 * the order sent). All need {@link Access#exec} in the workspace (a service names the
 * user it acts for in {@link Access#ON_BEHALF_OF}, having checked that user's right
 * itself, as for commands), and reach the agent the way commands do
 * ({@link CommandService}); with no agent connected they are {@code no_agent} and nothing
 * is queued. What the agent does follows on {@code workspace:{id}}: {@code tab:started},
 * {@code tab:output}, {@code tab:stopped}.
 */
@RestController
class TabController {

	private static final Logger logger = LoggerFactory.getLogger(TabController.class);

	private final CommandService commands;

	TabController(CommandService commands) {
		this.commands = commands;
	}

	@PostMapping("/api/workspaces/{workspaceId}/tabs")
	Mono<ResponseEntity<Map<String, Object>>> start(@PathVariable String workspaceId,
			@RequestBody(required = false) JsonNode body,
			@RequestHeader(name = Access.ON_BEHALF_OF, required = false) String onBehalfOf) {
		Channel.workspace(workspaceId);
		return Access.exec(workspaceId).flatMap((principal) -> {
			TabRequest request = TabRequest.parse(body);
			return this.commands.startTab(workspaceId, request)
				.doOnNext((tabId) -> logger.debug("{} opens tab {} in workspace {}",
						Access.requester(principal, onBehalfOf), tabId, workspaceId));
		}).map(TabController::accepted);
	}

	@DeleteMapping("/api/workspaces/{workspaceId}/tabs/{tabId}")
	Mono<ResponseEntity<Map<String, Object>>> stop(@PathVariable String workspaceId, @PathVariable String tabId,
			@RequestHeader(name = Access.ON_BEHALF_OF, required = false) String onBehalfOf) {
		Channel.workspace(workspaceId);
		TabRequest.checkTabId(tabId);
		return Access.exec(workspaceId)
			.flatMap((principal) -> this.commands.stopTab(workspaceId, tabId)
				.doOnNext((stopped) -> logger.debug("{} closes tab {} in workspace {}",
						Access.requester(principal, onBehalfOf), stopped, workspaceId)))
			.map(TabController::accepted);
	}

	@PostMapping("/api/workspaces/{workspaceId}/tabs/{tabId}/input")
	Mono<ResponseEntity<Map<String, Object>>> input(@PathVariable String workspaceId, @PathVariable String tabId,
			@RequestBody(required = false) JsonNode body) {
		Channel.workspace(workspaceId);
		TabRequest.checkTabId(tabId);
		return Access.exec(workspaceId)
			.flatMap((principal) -> this.commands.tabInput(workspaceId, TabRequest.inputData(tabId, body)))
			.map(TabController::accepted);
	}

	private static ResponseEntity<Map<String, Object>> accepted(String tabId) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("tabId", tabId));
	}

}
