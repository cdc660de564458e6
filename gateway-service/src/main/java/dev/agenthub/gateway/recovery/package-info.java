/**
 * Catch-up for re-subscribing clients: the engine's history window, then the durable log.
 */
package dev.agenthub.gateway.recovery;
