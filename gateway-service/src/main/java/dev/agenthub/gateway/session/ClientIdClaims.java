package dev.agenthub.gateway.session;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Which user a client id belongs to, across every gateway and across disconnects: the
 * first user to use an id holds it until {@code ttl} after its last use. A client id
 * names a {@code client:} channel (its live events and its history), so one user must
 * never get another's, whether the holder is connected to this gateway, to another one,
 * or not at all.
 */
public interface ClientIdClaims {

	/**
	 * Claims a client id for a user, or renews the user's claim.
	 * @param clientId the client id
	 * @param subject the user
	 * @param ttl how long the claim lasts after this use
	 * @return {@code true} when the id is the user's, {@code false} when another user
	 * holds it (or the store cannot take another claim)
	 */
	Mono<Boolean> claim(String clientId, String subject, Duration ttl);

}
