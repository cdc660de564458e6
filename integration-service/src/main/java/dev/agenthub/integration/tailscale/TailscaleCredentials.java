package dev.agenthub.integration.tailscale;

import reactor.core.publisher.Mono;

/** Supplies the bearer token for Tailscale API calls. */
interface TailscaleCredentials {

	/** The token to send as {@code Authorization: Bearer}. */
	Mono<String> bearerToken();

	/** Forgets a cached token the API refused, so the next call gets a new one. */
	default void invalidate() {
	}

	/**
	 * Whether a refused token can be replaced by asking again (OAuth), unlike a static
	 * token.
	 */
	default boolean renewable() {
		return false;
	}

}
