/**
 * Socket.IO on the gateway: the engine mounted at {@code /socket.io/} (namespace
 * {@code /}), its settings, and the store that lets a client recover its channels by
 * {@code pid} on any gateway, also after a restart.
 */
package dev.agenthub.gateway.socketio;
