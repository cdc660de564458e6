/**
 * Browsers' commands to workspace agents, forwarded to agent-service.
 */
package dev.agenthub.gateway.command;
