/**
 * Browser connections: the raw JSON socket handler, each connection's bounded outbound
 * queue and rate limit, the node's registry and heartbeats.
 */
package dev.agenthub.gateway.session;
