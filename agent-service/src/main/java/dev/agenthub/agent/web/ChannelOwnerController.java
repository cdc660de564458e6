package dev.agenthub.agent.web;

import java.util.Map;

import dev.agenthub.agent.owner.ChannelOwnerStore;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Channel owners (service or admin token), so a gateway can authorize subscriptions:
 * <ul>
 * <li>{@code GET /api/channels/{channel}/owner}: the workspace owning a
 * {@code task:{id}}, {@code agent:{id}}, {@code repository:{id}} or
 * {@code conversation:{id}} channel, {@code {"channel","workspaceId"}}; 404 when none is
 * known (then only admins and services read it).</li>
 * <li>{@code PUT /api/channels/{channel}/owner} {@code {"workspaceId"}}: a backend about
 * to publish on a {@code repository:} or {@code conversation:} channel for a workspace
 * records that workspace as its owner, if it has none; 409 {@code conflict} when another
 * workspace owns it already (owners never move).</li>
 * </ul>
 */
@RestController
class ChannelOwnerController {

	private final TaskStore tasks;

	private final AgentStore agents;

	private final ChannelOwnerStore owners;

	ChannelOwnerController(TaskStore tasks, AgentStore agents, ChannelOwnerStore owners) {
		this.tasks = tasks;
		this.agents = agents;
		this.owners = owners;
	}

	@GetMapping("/api/channels/{channel}/owner")
	Mono<Map<String, String>> owner(@PathVariable String channel) {
		Channel parsed = Channel.parse(channel);
		return CurrentPrincipal.publisher().flatMap((principal) -> {
			Mono<String> owner = switch (parsed.kind()) {
				case TASK -> this.tasks.workspaceOf(parsed.id());
				case AGENT -> this.agents.workspaceOfAgent(parsed.id());
				case REPOSITORY, CONVERSATION -> this.owners.workspaceOf(parsed.name());
				default -> Mono.error(ContractViolation.badRequest("only task:, agent:, repository: and conversation:"
						+ " channels have owners here, not " + parsed.kind().prefix() + ":"));
			};
			return owner.map((workspaceId) -> Map.of("channel", parsed.name(), "workspaceId", workspaceId))
				.switchIfEmpty(Mono
					.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, "no owner known for " + parsed.name())));
		});
	}

	@PutMapping("/api/channels/{channel}/owner")
	Mono<Map<String, String>> record(@PathVariable String channel, @RequestBody(required = false) JsonNode body) {
		Channel parsed = Channel.parse(channel);
		if (parsed.kind() != ChannelKind.REPOSITORY && parsed.kind() != ChannelKind.CONVERSATION) {
			return Mono.error(ContractViolation.badRequest("owners are recorded for repository: and conversation:"
					+ " channels only, not " + parsed.kind().prefix() + ":"));
		}
		JsonNode workspaceNode = (body != null) ? body.get("workspaceId") : null;
		if (workspaceNode == null || !workspaceNode.isString()) {
			return Mono.error(ContractViolation.badRequest("the body must be {\"workspaceId\":\"...\"}"));
		}
		String workspaceId = Channel.workspace(workspaceNode.asString()).id();
		return CurrentPrincipal.publisher()
			.flatMap((principal) -> this.owners.recordIfAbsent(parsed.name(), workspaceId, principal.subject()))
			.flatMap((owner) -> owner.equals(workspaceId)
					? Mono.just(Map.of("channel", parsed.name(), "workspaceId", owner))
					: Mono.error(new ContractViolation(ErrorCode.CONFLICT,
							parsed.name() + " belongs to another workspace; owners never move")));
	}

}
