/**
 * Browser connections: the raw JSON socket handler and the Socket.IO namespace {@code /}
 * (both giving features the same {@link dev.agenthub.gateway.session.GatewaySession}),
 * each connection's bounded outbound queue and rate limit, the node's registry and
 * heartbeats.
 */
package dev.agenthub.gateway.session;
