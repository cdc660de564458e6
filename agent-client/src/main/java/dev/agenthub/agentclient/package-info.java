/**
 * Embeddable client for hub sidecar agents: {@link dev.agenthub.agentclient.AgentClient}
 * connects to the agent service's {@code /agent/ws}, registers, heartbeats, reconnects
 * with backoff and sends events through a bounded queue; server requests reach an
 * {@link dev.agenthub.agentclient.AgentHandler}.
 */
package dev.agenthub.agentclient;
