/**
 * The bounded outbound queue between {@code publish} calls and the WebSocket: it survives
 * reconnects, coalesces output chunks and drops lossy events first when full.
 */
package dev.agenthub.agentclient.outbound;
