/**
 * Files uploaded into the container through the hub: written to a temporary file next to
 * the target, checked (size, SHA-256), then moved into place atomically with the
 * requested mode; a failed upload leaves nothing behind.
 */
package dev.agenthub.sidecar.upload;
