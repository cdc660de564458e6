/**
 * The scenarios, each bounded in time and count, and the child-process workers some of
 * them fork.
 */
package dev.agenthub.bench.scenario;
