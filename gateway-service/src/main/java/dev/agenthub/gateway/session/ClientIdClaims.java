package dev.agenthub.gateway.session;

import java.time.Duration;
import java.time.Instant;

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
 * <p>
 * A claim remembers when it began. What was sent to the id before it (to a former holder
 * whose claim lapsed) is not its holder's: its history is read from the claim's start on
 * ({@link GatewaySession#clientSince()}).
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
	default Mono<Boolean> claim(String clientId, String subject, Duration ttl) {
		return hold(clientId, subject, ttl).hasElement();
	}

	/**
	 * Claims a client id for a user, or renews the user's claim, as {@link #claim}.
	 * @return when the user's claim began (now, for a new one; renewals keep it), or
	 * empty when the id is not the user's
	 */
	Mono<Instant> hold(String clientId, String subject, Duration ttl);

}
