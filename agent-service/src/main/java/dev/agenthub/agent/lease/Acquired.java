package dev.agenthub.agent.lease;

/**
 * The result of taking a workspace's lease.
 *
 * @param lease the new lease
 * @param previous the lease it replaced, or {@code null}
 */
public record Acquired(Lease lease, Lease previous) {

}
