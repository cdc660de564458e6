/**
 * The memory engine: the broker contract in one JVM, for the single-process hub and fast
 * tests.
 */
package dev.agenthub.broker.memory;
