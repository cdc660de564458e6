/**
 * Wiring of the channel engine (memory or Redis) and its settings.
 */
package dev.agenthub.support.engine;
