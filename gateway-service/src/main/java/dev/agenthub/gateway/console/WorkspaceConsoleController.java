package dev.agenthub.gateway.console;

import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
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
 * offers those controls only to whom the hub would not refuse them. {@link #upload}
 * streams a file into the workspace's container for a user who may drive it.
 */
@RestController
class WorkspaceConsoleController {

	private final Broker broker;

	private final HubServices services;

	private final LocalSnapshot local;

	private final ConsoleProperties properties;

	WorkspaceConsoleController(Broker broker, HubServices services, LocalSnapshot local, ConsoleProperties properties) {
		this.broker = broker;
		this.services = services;
		this.local = local;
		this.properties = properties;
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
						both.getT2().orElse(null), this.local.watchers(workspaceId), principal.mayExecIn(workspaceId),
						this.properties.uploadMaxSize().toBytes()));
		});
	}

	/**
	 * {@code POST /api/console/workspaces/{id}/files?path=…&mode=0600[&sha256=…]} (a user
	 * who may drive the workspace: its token's {@code exec} claim): the body (the file's
	 * bytes, or a {@code multipart/form-data} form whose first file part is the file) is
	 * streamed to agent-service's upload ({@code POST /api/workspaces/{id}/files}) with
	 * the gateway's service token for the user, and agent-service's answer is passed
	 * back: {@code 201 {taskId, workspaceId, path, size, sha256, mode}}, or its refusal
	 * with its code ({@code bad_request} with {@code refused_path: …}, {@code no_agent},
	 * {@code conflict}, {@code unavailable} with {@code disk_full: …}, …). The user's
	 * rights are checked here, before a byte of the body is read or agent-service is
	 * asked: agent-service trusts the gateway's token for every workspace. A body larger
	 * than {@link ConsoleProperties#uploadMaxSize()} is refused ({@code 413 too_large})
	 * by its {@code Content-Length} before it is read, or as soon as it passes the bound.
	 */
	@PostMapping("/api/console/workspaces/{workspaceId}/files")
	Mono<ResponseEntity<JsonNode>> upload(@PathVariable String workspaceId, @RequestParam String path,
			@RequestParam(defaultValue = "0600") String mode, @RequestParam(required = false) String sha256,
			ServerHttpRequest request) {
		Channel.workspace(workspaceId);
		return CurrentPrincipal.get().flatMap((principal) -> {
			if (!principal.maySeeWorkspace(workspaceId)) {
				return Mono
					.error(new ContractViolation(ErrorCode.FORBIDDEN, "you may not see workspace " + workspaceId));
			}
			if (!principal.mayExecIn(workspaceId)) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						"you may watch but not upload files into workspace " + workspaceId));
			}
			long max = this.properties.uploadMaxSize().toBytes();
			if (request.getHeaders().getContentLength() > max) {
				return Mono.error(HubServices.tooLarge(max));
			}
			return this.services.uploadFile(workspaceId, principal.subject(),
					new HubServices.UploadTarget(path, mode, sha256), request.getHeaders(), request.getBody());
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
	 * @param mayExec whether the caller may run commands, drive terminal tabs and upload
	 * files in it
	 * @param uploadMaxSize the largest file the console may upload (bytes)
	 */
	record WorkspaceOverview(String workspaceId, String channel, String epoch, long offset, JsonNode agent,
			List<LocalSnapshot.Watcher> watchers, boolean mayExec, long uploadMaxSize) {

	}

}
