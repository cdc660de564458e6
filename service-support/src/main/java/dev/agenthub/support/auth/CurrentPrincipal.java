package dev.agenthub.support.auth;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/** The principal of the REST request being handled. */
public final class CurrentPrincipal {

	private CurrentPrincipal() {
	}

	/** The caller, or an {@link ErrorCode#UNAUTHORIZED} violation. */
	public static Mono<HubPrincipal> get() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> context.getAuthentication())
			.filter((authentication) -> authentication.getPrincipal() instanceof Jwt)
			.map((authentication) -> HubPrincipal.from((Jwt) authentication.getPrincipal()))
			.switchIfEmpty(Mono.error(new ContractViolation(ErrorCode.UNAUTHORIZED, "no authenticated caller")));
	}

	/**
	 * The caller when it may publish (service or admin), else a {@code forbidden}
	 * violation.
	 */
	public static Mono<HubPrincipal> publisher() {
		return get().flatMap((principal) -> principal.mayPublish() ? Mono.just(principal)
				: Mono.error(new ContractViolation(ErrorCode.FORBIDDEN, "a service or admin token is required")));
	}

}
