/**
 * The node's connection counts for dashboards.
 */
package dev.agenthub.gateway.stats;
