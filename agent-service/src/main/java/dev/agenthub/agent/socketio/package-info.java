/**
 * Socket.IO namespace {@code /agent} at {@code /socket.io/}: each Socket.IO socket is
 * presented to the raw agent protocol's handler as a WebSocket session, so registration,
 * validation, leases, liveness and commands are the same code for both ingresses.
 */
package dev.agenthub.agent.socketio;
