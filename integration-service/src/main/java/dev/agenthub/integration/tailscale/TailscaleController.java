package dev.agenthub.integration.tailscale;

import java.util.List;
import java.util.Map;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The Tailscale API of the hub. Everything but the status needs a service or admin token.
 */
@RestController
class TailscaleController {

	private final TailscaleService tailscale;

	TailscaleController(TailscaleService tailscale) {
		this.tailscale = tailscale;
	}

	@GetMapping("/api/tailscale/status")
	Mono<Map<String, Object>> status() {
		return CurrentPrincipal.get().map((principal) -> this.tailscale.status());
	}

	@PostMapping("/api/tailscale/auth-keys")
	Mono<ResponseEntity<AuthKey>> createAuthKey(@RequestBody(required = false) AuthKeyRequest request) {
		return CurrentPrincipal.publisher().flatMap((principal) -> {
			if (request == null) {
				return Mono.error(ContractViolation.badRequest("a JSON body with workspaceId is required"));
			}
			return this.tailscale.createAuthKey(request);
		}).map((key) -> ResponseEntity.status(HttpStatus.CREATED).body(key));
	}

	@GetMapping("/api/tailscale/auth-keys/{keyId}")
	Mono<Map<String, Object>> authKey(@PathVariable String keyId) {
		return CurrentPrincipal.publisher().flatMap((principal) -> this.tailscale.authKey(keyId));
	}

	@DeleteMapping("/api/tailscale/auth-keys/{keyId}")
	Mono<ResponseEntity<Void>> deleteAuthKey(@PathVariable String keyId) {
		return CurrentPrincipal.publisher()
			.flatMap((principal) -> this.tailscale.deleteAuthKey(keyId))
			.map((deleted) -> ResponseEntity.noContent().build());
	}

	@GetMapping("/api/tailscale/devices")
	Mono<Map<String, List<DeviceView>>> devices(@RequestParam(required = false) String tag,
			@RequestParam(required = false) Boolean ephemeral) {
		return CurrentPrincipal.publisher()
			.flatMap((principal) -> this.tailscale.devices(tag, ephemeral).collectList())
			.map((devices) -> Map.of("devices", devices));
	}

	@DeleteMapping("/api/tailscale/devices/{deviceId}")
	Mono<ResponseEntity<Void>> deleteDevice(@PathVariable String deviceId) {
		return CurrentPrincipal.publisher()
			.flatMap((principal) -> this.tailscale.deleteDevice(deviceId))
			.map((deleted) -> ResponseEntity.noContent().build());
	}

	/** Called by agent-service when a workspace's agent reports lifecycle {@code off}. */
	@PostMapping("/api/tailscale/workspaces/{workspaceId}/offboard")
	Mono<TailscaleService.Offboarding> offboard(@PathVariable String workspaceId) {
		return CurrentPrincipal.publisher().flatMap((principal) -> this.tailscale.offboard(workspaceId));
	}

}
