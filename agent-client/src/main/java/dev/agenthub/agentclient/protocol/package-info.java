/**
 * The agent protocol's vocabulary: message type names, close codes, lifecycle and task
 * states, and the typed requests the server sends to an agent. Every message on the wire
 * is {@code {"type": "<name>", "data": {...}}} as raw JSON text frames.
 */
package dev.agenthub.agentclient.protocol;
