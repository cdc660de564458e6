/**
 * What the harness measures: latency histograms, frame scanning, process statistics of
 * the hub.
 */
package dev.agenthub.bench.metrics;
