/**
 * The Redis engines (Lettuce), on one Redis or a Redis Cluster: atomic publish by Lua
 * script, history in per-channel streams, live delivery by pub/sub (sharded on a
 * cluster), the durable-log feed by stream consumer groups (one stream per partition on a
 * cluster); {@link dev.agenthub.broker.redis.KeyLayout} places the keys,
 * {@link dev.agenthub.broker.redis.RedisEngine} gives the other features the same Redis.
 */
package dev.agenthub.broker.redis;
