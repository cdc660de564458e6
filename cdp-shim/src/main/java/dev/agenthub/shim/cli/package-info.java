/**
 * Chrome's command line as the shim understands it, and the {@code --version} banner.
 */
package dev.agenthub.shim.cli;
