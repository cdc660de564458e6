/**
 * Runs the hub's {@code command} requests as real processes (argv, cwd, env, timeout,
 * cancel) and streams their output and status.
 */
package dev.agenthub.sidecar.command;
