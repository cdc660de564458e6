/**
 * {@code --remote-debugging-pipe}: NUL-delimited JSON on file descriptors 3 (from the
 * client) and 4 (to the client), bridged to the remote browser's WebSocket.
 */
package dev.agenthub.shim.pipe;
