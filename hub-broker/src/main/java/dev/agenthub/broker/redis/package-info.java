/**
 * The Redis engine (Lettuce): atomic publish by Lua script, history in per-channel
 * streams, live delivery by pub/sub, the durable-log feed by a stream consumer group.
 */
package dev.agenthub.broker.redis;
