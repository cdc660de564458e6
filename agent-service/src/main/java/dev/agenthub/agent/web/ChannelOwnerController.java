package dev.agenthub.agent.web;

import java.util.Map;

import dev.agenthub.agent.owners.ChannelOwnerStore;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
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
 * {@code GET /api/channels/{channel}/owner} (service or admin token): the workspace
 * owning a {@code task:}, {@code agent:}, {@code repository:} or {@code conversation:}
 * channel, {@code {"workspaceId":...}}, so a gateway can authorize subscriptions to them;
 * 404 when unknown. A task's owner is its workspace; an agent's is the workspace of the
 * sidecar agent of that id, else the workspace that claimed the id in its first AI agent
 * event; a repository's or conversation's is the one recorded with {@code PUT
 * /api/channels/{channel}/owner {"workspaceId"}} (service or admin), and for a repository
 * else the {@code workspaceId} a backend last published on its channel. The same
 * {@code PUT} reserves an agent id for a workspace before its sidecar first registers
 * (provisioning does).
 */
@RestController
class ChannelOwnerController {

	/** Events of a repository channel read to find a backend-named workspace. */
	static final int HISTORY_SCAN = 100;

	/** Most channels listed for one workspace. */
	static final int MAX_OWNED = 1000;

	private final TaskStore tasks;

	private final AgentStore agents;

	private final ChannelOwnerStore owners;

	private final Broker broker;

	ChannelOwnerController(TaskStore tasks, AgentStore agents, ChannelOwnerStore owners, Broker broker) {
		this.tasks = tasks;
		this.agents = agents;
		this.owners = owners;
		this.broker = broker;
	}

	@GetMapping("/api/channels/{channel}/owner")
	Mono<Map<String, String>> owner(@PathVariable String channel) {
		Channel parsed = Channel.parse(channel);
		return CurrentPrincipal.publisher().flatMap((principal) -> {
			Mono<String> owner = switch (parsed.kind()) {
				case TASK -> this.tasks.workspaceOf(parsed.id());
				// a claim first, as AgentChannelRouting decides: it never changes hands
				case AGENT -> this.owners.ownerOf(parsed).switchIfEmpty(this.agents.workspaceOfAgent(parsed.id()));
				case REPOSITORY -> this.owners.ownerOf(parsed).switchIfEmpty(publishedWorkspace(parsed));
				case CONVERSATION -> this.owners.ownerOf(parsed);
				default -> Mono.error(ContractViolation.badRequest("only task:, agent:, repository: and conversation:"
						+ " channels have owners here, not " + parsed.kind().prefix() + ":"));
			};
			return owner.map((workspaceId) -> Map.of("channel", parsed.name(), "workspaceId", workspaceId))
				.switchIfEmpty(Mono
					.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, "no owner known for " + parsed.name())));
		});
	}

	/**
	 * {@code GET /api/workspaces/{id}/channels} (service or admin): the repository,
	 * conversation and AI agent channels the workspace owns, so that a gateway can
	 * subscribe a connection to them with the workspace's own channel.
	 */
	@GetMapping("/api/workspaces/{workspaceId}/channels")
	Mono<Map<String, Object>> owned(@PathVariable String workspaceId) {
		return CurrentPrincipal.publisher()
			.then(Mono.fromCallable(() -> Channel.workspace(workspaceId).id()))
			.flatMap((workspace) -> this.owners.channelsOf(workspace, MAX_OWNED)
				.collectList()
				.map((channels) -> Map.of("workspaceId", workspace, "channels", channels)));
	}

	@PutMapping("/api/channels/{channel}/owner")
	Mono<Map<String, String>> record(@PathVariable String channel, @RequestBody(required = false) JsonNode body) {
		return CurrentPrincipal.publisher().then(Mono.fromCallable(() -> {
			Channel parsed = Channel.parse(channel);
			if (parsed.kind() != ChannelKind.REPOSITORY && parsed.kind() != ChannelKind.CONVERSATION
					&& parsed.kind() != ChannelKind.AGENT) {
				throw ContractViolation
					.badRequest("only repository:, conversation: and agent: channels take a recorded owner");
			}
			if (body == null || !body.path("workspaceId").isString()) {
				throw ContractViolation.badRequest("a JSON body {\"workspaceId\": \"...\"} is required");
			}
			return new Claim(parsed, Channel.workspace(body.get("workspaceId").asString()).id());
		}))
			.flatMap((claim) -> sidecarElsewhere(claim).then(this.owners.claim(claim.channel(), claim.workspaceId()))
				.flatMap((owner) -> {
					if (!owner.equals(claim.workspaceId())) {
						return Mono.error(new ContractViolation(ErrorCode.CONFLICT,
								claim.channel().name() + " already belongs to another workspace"));
					}
					return Mono.just(Map.of("channel", claim.channel().name(), "workspaceId", owner));
				}));
	}

	/**
	 * An agent id reserved ahead of its sidecar (provisioning does, so that no other
	 * workspace's agent can claim a predictable id first in an AI agent's event) must not
	 * be one a sidecar of another workspace already serves under: that id is that
	 * workspace's, recorded or not.
	 */
	private Mono<Void> sidecarElsewhere(Claim claim) {
		if (claim.channel().kind() != ChannelKind.AGENT) {
			return Mono.empty();
		}
		return this.agents.workspaceOfAgent(claim.channel().id())
			.filter((workspace) -> !workspace.equals(claim.workspaceId()))
			.flatMap((workspace) -> Mono.error(new ContractViolation(ErrorCode.CONFLICT,
					claim.channel().name() + " already belongs to another workspace")));
	}

	/**
	 * The workspace a backend named in the latest event on the repository's channel
	 * ({@code data.workspaceId}): only publishers (service and admin tokens) can publish
	 * on a repository channel, so what they say there is trusted, as the seed's
	 * repository events trusted their workspace service. A channel nobody published on is
	 * not created by asking (a gateway asks for any name a client subscribes to).
	 */
	private Mono<String> publishedWorkspace(Channel channel) {
		return this.broker.existingHistory(channel.name(), 0, 0)
			.flatMap((latest) -> this.broker.existingHistory(channel.name(),
					Math.max(0, latest.position().offset() - HISTORY_SCAN), HISTORY_SCAN))
			.flatMap((history) -> {
				for (int i = history.events().size() - 1; i >= 0; i--) {
					String workspace = workspaceOf(history.events().get(i));
					if (workspace != null) {
						return Mono.just(workspace);
					}
				}
				return Mono.empty();
			});
	}

	private static String workspaceOf(Publication publication) {
		JsonNode workspace = publication.event().data().path("workspaceId");
		if (!workspace.isString()) {
			return null;
		}
		try {
			return Channel.workspace(workspace.asString()).id();
		}
		catch (ContractViolation ex) {
			return null;
		}
	}

	private record Claim(Channel channel, String workspaceId) {

	}

}
