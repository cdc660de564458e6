/**
 * Liveness of agent sessions: heartbeat timeouts, pings and lease renewal on one
 * node-wide timer.
 */
package dev.agenthub.agent.liveness;
