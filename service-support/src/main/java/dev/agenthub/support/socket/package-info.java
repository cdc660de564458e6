/**
 * The WebSocket upgrade every hub ingress uses (transport frame limit, no observation of
 * upgrades). Per-connection mechanics live in {@code dev.agenthub.support.connection}.
 */
package dev.agenthub.support.socket;
