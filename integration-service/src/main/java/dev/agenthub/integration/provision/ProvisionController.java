package dev.agenthub.integration.provision;

import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/workspaces/{id}/provision} (service or admin token; body optional:
 * {@code {"repository","agentId"}}) → {@link Provisioning}. Every call mints a new agent
 * token and a new single-use Tailscale key: call it once per container start.
 */
@RestController
class ProvisionController {

	private final Provisioner provisioner;

	ProvisionController(Provisioner provisioner) {
		this.provisioner = provisioner;
	}

	@PostMapping("/api/workspaces/{workspaceId}/provision")
	Mono<Provisioning> provision(@PathVariable String workspaceId,
			@RequestBody(required = false) ProvisionRequest request) {
		return CurrentPrincipal.publisher().flatMap((principal) -> this.provisioner.provision(workspaceId, request));
	}

}
