/**
 * The connection core: one {@link dev.agenthub.support.connection.Connection} type over
 * two transports (raw WebSocket, Socket.IO), one inbound pipeline (limits, decode,
 * dispatch, error replies, order), one byte-bounded outbound path for live and replayed
 * frames, dialects as encoders, heartbeats, token expiry and drain. Each ingress plugs in
 * an {@link dev.agenthub.support.connection.Ingress}: its sessions and message handlers.
 */
package dev.agenthub.support.connection;
