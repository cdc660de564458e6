/**
 * One live agent per workspace across instances: leases with fencing tokens, in memory or
 * in Redis.
 */
package dev.agenthub.agent.lease;
