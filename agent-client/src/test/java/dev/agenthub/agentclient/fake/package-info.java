/**
 * A fake agent service for tests: a Reactor Netty WebSocket server on a random port that
 * speaks the agent protocol's server side and records what agents send.
 */
package dev.agenthub.agentclient.fake;
