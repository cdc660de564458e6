/**
 * Why the shim exits (exit codes and messages) and the single place that decides it.
 */
package dev.agenthub.shim.lifecycle;
