/**
 * System statistics for {@code stats} events: CPU from {@code /proc/stat} deltas, memory
 * from {@code /proc/meminfo}, disk of the repository's file system.
 */
package dev.agenthub.sidecar.stats;
