/**
 * The timestamp sync protocol's query over the durable log.
 */
package dev.agenthub.broadcast.sync;
