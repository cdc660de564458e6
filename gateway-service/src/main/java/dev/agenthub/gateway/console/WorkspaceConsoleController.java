package dev.agenthub.gateway.console;

import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/console/workspaces/{id}} (a user who may see the workspace, or an
 * admin): where the workspace's channel stands ({@code epoch}, {@code offset}, so the
 * page can subscribe with a backlog to replay), its agent as agent-service knows it
 * ({@code null} when none ever registered or agent-service does not answer), who watches
 * it on this gateway, and whether the caller may drive it ({@code mayExec}: run commands,
 * open, type into and close terminal tabs — the token's {@code exec} claim), so the page
 * offers those controls only to whom the hub would not refuse them.
 */
@RestController
class WorkspaceConsoleController {

	private final Broker broker;

	private final HubServices services;

	private final LocalSnapshot local;

	WorkspaceConsoleController(Broker broker, HubServices services, LocalSnapshot local) {
		this.broker = broker;
		this.services = services;
		this.local = local;
	}

	@GetMapping("/api/console/workspaces/{workspaceId}")
	Mono<WorkspaceOverview> workspace(@PathVariable String workspaceId) {
		String channel = Channel.workspace(workspaceId).name();
		return CurrentPrincipal.get().flatMap((principal) -> {
			if (!principal.maySeeWorkspace(workspaceId)) {
				return Mono
					.error(new ContractViolation(ErrorCode.FORBIDDEN, "you may not see workspace " + workspaceId));
			}
			Mono<JsonNode> agent = this.services.agentOf(workspaceId)
				// The page still works without it: the channel's events tell the state.
				.onErrorResume((ex) -> Mono.empty());
			return this.broker.position(channel)
				.zipWith(agent.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
				.map((both) -> new WorkspaceOverview(workspaceId, channel, both.getT1().epoch(), both.getT1().offset(),
						both.getT2().orElse(null), this.local.watchers(workspaceId), principal.mayExecIn(workspaceId)));
		});
	}

	/**
	 * A workspace as the console opens it.
	 *
	 * @param workspaceId the workspace
	 * @param channel its channel
	 * @param epoch the channel's epoch
	 * @param offset the channel's latest offset
	 * @param agent its agent (agent-service's record), or {@code null}
	 * @param watchers users with it open on this gateway
	 * @param mayExec whether the caller may run commands and drive terminal tabs in it
	 */
	record WorkspaceOverview(String workspaceId, String channel, String epoch, long offset, JsonNode agent,
			List<LocalSnapshot.Watcher> watchers, boolean mayExec) {

	}

}
