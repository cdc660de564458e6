/**
 * broadcast-service: persists every published event (the durable log), serves history and
 * the timestamp sync protocol, and the server publish API for other backends.
 */
package dev.agenthub.broadcast;
