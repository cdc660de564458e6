/**
 * Tailscale status of the container, from {@code tailscale status --json}, for
 * {@code tailscale:status} events and heartbeats.
 */
package dev.agenthub.sidecar.tailscale;
