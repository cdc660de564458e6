/**
 * The server publish API for other backends.
 */
package dev.agenthub.broadcast.publish;
