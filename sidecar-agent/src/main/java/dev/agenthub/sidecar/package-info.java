/**
 * The reference sidecar agent: {@link dev.agenthub.sidecar.SidecarMain} (command line)
 * and {@link dev.agenthub.sidecar.Sidecar#start} (programmatic, for tests) run commands
 * and tabs for the hub and report lifecycle, git status and system stats through the
 * agent client.
 */
package dev.agenthub.sidecar;
