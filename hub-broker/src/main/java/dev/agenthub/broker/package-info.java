/**
 * The channel engine: {@link dev.agenthub.broker.Broker} (publish with offsets, history,
 * subscribe) and {@link dev.agenthub.broker.LogFeed} (every event, at least once, for the
 * durable log), each with a memory and a Redis implementation held to one contract test
 * suite.
 */
package dev.agenthub.broker;
