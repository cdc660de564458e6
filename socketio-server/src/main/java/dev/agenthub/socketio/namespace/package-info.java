/**
 * The Socket.IO layer over one Engine.IO session: namespace CONNECT through the handlers,
 * sockets, events and acknowledgements.
 */
@NullMarked
package dev.agenthub.socketio.namespace;

import org.jspecify.annotations.NullMarked;
