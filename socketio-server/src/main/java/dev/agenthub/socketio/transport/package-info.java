/**
 * The Engine.IO transports on Spring WebFlux: the HTTP long-polling endpoint and the
 * WebSocket transport (direct or upgraded from polling).
 */
@NullMarked
package dev.agenthub.socketio.transport;

import org.jspecify.annotations.NullMarked;
