package dev.agenthub.agent.web;

import java.util.Map;

import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/channels/{channel}/owner} (service or admin token): the workspace
 * owning a {@code task:{id}} or {@code agent:{id}} channel, {@code {"workspaceId":...}},
 * so a gateway can authorize subscriptions to them; 404 when unknown.
 */
@RestController
class ChannelOwnerController {

	private final TaskStore tasks;

	private final AgentStore agents;

	ChannelOwnerController(TaskStore tasks, AgentStore agents) {
		this.tasks = tasks;
		this.agents = agents;
	}

	@GetMapping("/api/channels/{channel}/owner")
	Mono<Map<String, String>> owner(@PathVariable String channel) {
		Channel parsed = Channel.parse(channel);
		return CurrentPrincipal.publisher().flatMap((principal) -> {
			Mono<String> owner = switch (parsed.kind()) {
				case TASK -> this.tasks.workspaceOf(parsed.id());
				case AGENT -> this.agents.workspaceOfAgent(parsed.id());
				default -> Mono.error(ContractViolation.badRequest(
						"only task: and agent: channels have owners here, not " + parsed.kind().prefix() + ":"));
			};
			return owner.map((workspaceId) -> Map.of("channel", parsed.name(), "workspaceId", workspaceId))
				.switchIfEmpty(Mono
					.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, "no owner known for " + parsed.name())));
		});
	}

}
