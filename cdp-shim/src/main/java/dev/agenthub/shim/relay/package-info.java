/**
 * The shim's own DevTools endpoint: the {@code /json} HTTP endpoints with their URLs
 * rewritten to the shim's address, and browser/page WebSockets relayed both ways.
 */
package dev.agenthub.shim.relay;
