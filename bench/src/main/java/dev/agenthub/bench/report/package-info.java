/**
 * Where results go: JSON per run and a markdown table in RESULTS.md.
 */
package dev.agenthub.bench.report;
