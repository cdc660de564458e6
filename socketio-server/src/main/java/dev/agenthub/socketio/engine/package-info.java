/**
 * Engine.IO v4 sessions, independent of the transport: the packet codec, the bounded
 * outbound queue, the heartbeat, the upgrade state and the bounded session registry.
 */
@NullMarked
package dev.agenthub.socketio.engine;

import org.jspecify.annotations.NullMarked;
