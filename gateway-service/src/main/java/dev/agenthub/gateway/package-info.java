/**
 * The gateway: browsers' WebSocket ingress. {@code session} holds connections and their
 * limits, {@code subscription} the node's channel fan-out, {@code recovery} catch-up from
 * history, {@code protocol} the client messages.
 */
package dev.agenthub.gateway;
