/**
 * The gateway's meters: names in {@link dev.agenthub.gateway.metrics.GatewayMeters}, the
 * {@link dev.agenthub.gateway.metrics.GatewayMetrics} recorder domain code calls, and its
 * Micrometer implementation.
 */
package dev.agenthub.gateway.metrics;
