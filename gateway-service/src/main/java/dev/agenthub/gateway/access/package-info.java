/**
 * Who owns a channel, asked of agent-service, for per-channel authorization.
 */
package dev.agenthub.gateway.access;
