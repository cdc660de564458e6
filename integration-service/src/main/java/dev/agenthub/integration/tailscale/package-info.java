/**
 * The Tailscale API client: ephemeral, pre-authorized auth keys for workspace containers,
 * device listing and deletion, and offboarding of a workspace's ephemeral devices. Calls
 * carry timeouts, idempotent ones are retried with jitter (honouring
 * {@code Retry-After}), and no key or secret is ever logged.
 */
package dev.agenthub.integration.tailscale;
