package dev.agenthub.integration.tailscale;

import java.util.concurrent.TimeoutException;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/** The one place where failures of Tailscale calls become hub API errors. */
final class TailscaleErrors {

	private TailscaleErrors() {
	}

	static Throwable translate(Throwable failure) {
		if (failure instanceof ContractViolation) {
			return failure;
		}
		if (failure instanceof TailscaleApiException api) {
			String detail = (api.upstreamMessage() != null) ? ": " + api.upstreamMessage() : "";
			return switch (api.status()) {
				case 400 -> ContractViolation.badRequest("Tailscale rejected the request" + detail);
				// Our credentials are wrong or lack a scope: the hub's configuration, not
				// the caller's.
				case 401, 403 ->
					new ContractViolation(ErrorCode.UNAVAILABLE, "Tailscale refused the hub's credentials ("
							+ api.status() + ")" + detail + "; check hub.tailscale.* and the credential's scopes");
				case 404 -> new ContractViolation(ErrorCode.NOT_FOUND, "not found at Tailscale" + detail);
				case 409 -> new ContractViolation(ErrorCode.CONFLICT, "Tailscale reported a conflict" + detail);
				case 429 -> new ContractViolation(ErrorCode.UNAVAILABLE,
						"Tailscale is rate limiting the hub, try again later" + detail);
				default -> new ContractViolation(ErrorCode.UNAVAILABLE, "Tailscale failed (" + api.status() + ")"
						+ detail + (api.transientFailure() ? ", try again later" : ""));
			};
		}
		if (failure instanceof TimeoutException) {
			return new ContractViolation(ErrorCode.UNAVAILABLE, "Tailscale did not answer in time, try again later");
		}
		if (failure instanceof WebClientRequestException request) {
			return new ContractViolation(ErrorCode.UNAVAILABLE,
					"Tailscale is unreachable: " + request.getMostSpecificCause().getMessage());
		}
		return failure;
	}

}
