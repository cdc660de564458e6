package dev.agenthub.gateway.session;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Which user a client id belongs to, across every gateway and across disconnects: the
 * first user to use an id holds it until {@code ttl} after its last use. A client id
 * names a {@code client:} channel (its live events and its history), so one user must
 * never get another's, whether the holder is connected to this gateway, to another one,
 * or not at all.
 * <p>
 * A user claims at most a set number of ids it did not hold before within one {@code ttl}
 * (a quota, counted from the first of them): without one, a user connecting again and
 * again with made-up ids would fill the store (the memory engine's bounded store, and
 * then nobody else could claim one; Redis, without bound). Past the quota the user's
 * connections get fresh ids, as when another user holds the id; renewing an id it holds
 * is never refused.
 */
public interface ClientIdClaims {

	/**
	 * Claims a client id for a user, or renews the user's claim.
	 * @param clientId the client id
	 * @param subject the user
	 * @param ttl how long the claim lasts after this use
	 * @return {@code true} when the id is the user's, {@code false} when another user
	 * holds it, the user is past its quota of new ids, or the store cannot take another
	 * claim
	 */
	Mono<Boolean> claim(String clientId, String subject, Duration ttl);

}
