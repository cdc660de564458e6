/**
 * Process plumbing shared by commands and tabs: streaming a pipe as bounded text chunks
 * and killing a process tree.
 */
package dev.agenthub.sidecar.process;
