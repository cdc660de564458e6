package dev.agenthub.agent.lease;

import reactor.core.publisher.Mono;

/**
 * One live agent per workspace: a lease per workspace, held by one session of one node.
 * <p>
 * Guarantees: {@link #acquire} is atomic and always wins (the newest registration
 * replaces the older one); every lease carries a fencing token larger than any earlier
 * lease of its workspace. {@link #renew} and {@link #release} act only while the caller
 * still holds the lease (compare-and-renew, compare-and-delete), so a replaced or expired
 * holder can never extend or drop its successor's lease. A lease that is not renewed
 * expires after its time to live.
 */
public interface WorkspaceLeases {

	/**
	 * Takes the workspace's lease for a session, replacing any holder.
	 * @return the new lease and the one it replaced
	 */
	Mono<Acquired> acquire(String workspaceId, String nodeId, String sessionId);

	/** Extends a lease; {@code false} when it is no longer held (replaced or expired). */
	Mono<Boolean> renew(Lease lease);

	/**
	 * Takes a workspace's lease again for a session whose lease vanished (expired, or
	 * Redis lost it) — only when nobody holds it, so a newer session is never displaced.
	 * @return the new lease (with a new fence), or empty when another session holds it
	 */
	Mono<Lease> reacquire(Lease lost);

	/** Drops a lease; {@code false} when it was no longer held. */
	Mono<Boolean> release(Lease lease);

	/** The workspace's current lease, or empty. */
	Mono<Lease> current(String workspaceId);

}
