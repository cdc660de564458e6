/**
 * The integration service (port 8083): {@code tailscale/} talks to the Tailscale API,
 * {@code shim/} is the CDP shim release registry.
 */
package dev.agenthub.integration;
