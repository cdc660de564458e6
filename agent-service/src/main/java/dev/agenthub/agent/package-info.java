/**
 * agent-service: sidecar agents' own ingress. {@code session} holds agent connections,
 * {@code events} validates and publishes what agents report.
 */
package dev.agenthub.agent;
