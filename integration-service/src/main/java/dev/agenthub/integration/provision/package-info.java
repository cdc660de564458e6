/**
 * Workspace provisioning in one call ({@code POST /api/workspaces/{id}/provision}):
 * everything a new container needs — a Tailscale auth key, the agent's hub URL and a
 * fresh agent token, the CDP settings and the CDP shim's download URL and SHA-256 — as
 * seed 000's workspace service assembled by hand.
 */
package dev.agenthub.integration.provision;
