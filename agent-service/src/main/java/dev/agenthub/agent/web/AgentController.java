package dev.agenthub.agent.web;

import dev.agenthub.agent.state.AgentRecord;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Agents' state: {@code GET /api/agents} (those of the caller's workspaces) and
 * {@code GET /api/workspaces/{id}/agent}.
 */
@RestController
class AgentController {

	private static final int MAX_LIST = 1000;

	private final AgentStore agents;

	AgentController(AgentStore agents) {
		this.agents = agents;
	}

	@GetMapping("/api/agents")
	Flux<AgentRecord> list(@RequestParam(defaultValue = "1000") int limit) {
		if (limit < 1 || limit > MAX_LIST) {
			throw ContractViolation.badRequest("limit must be from 1 to " + MAX_LIST);
		}
		return CurrentPrincipal.get().flatMapMany((principal) -> {
			if (principal.isAdmin() || principal.mayPublish()
					|| principal.workspaces().contains(Claims.ALL_WORKSPACES)) {
				return this.agents.findAll(limit);
			}
			if (principal.has(Role.AGENT) && principal.workspace() != null) {
				return this.agents.find(principal.workspace()).flux();
			}
			return this.agents.findIn(principal.workspaces(), limit);
		});
	}

	@GetMapping("/api/workspaces/{workspaceId}/agent")
	Mono<AgentRecord> ofWorkspace(@PathVariable String workspaceId) {
		Channel.workspace(workspaceId);
		return Access.workspace(workspaceId)
			.then(this.agents.find(workspaceId))
			.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.NOT_FOUND,
					"no agent has registered for workspace " + workspaceId)));
	}

}
