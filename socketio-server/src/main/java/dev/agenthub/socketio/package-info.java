/**
 * Socket.IO v5 / Engine.IO v4 server engine for Spring WebFlux on Reactor Netty: the SPI
 * services code against.
 *
 * <p>
 * Build a {@link dev.agenthub.socketio.SocketIoServer} from a
 * {@link dev.agenthub.socketio.SocketIoConfig} and one
 * {@link dev.agenthub.socketio.NamespaceHandler} per namespace, mount its handler mapping
 * at {@code /socket.io/}, and talk to clients through
 * {@link dev.agenthub.socketio.SioSocket}. Packets for many recipients are encoded once
 * with {@link dev.agenthub.socketio.SocketIoServer#encodeEvent}. Metrics go through
 * {@link dev.agenthub.socketio.SocketIoMetrics}.
 */
@NullMarked
package dev.agenthub.socketio;

import org.jspecify.annotations.NullMarked;
