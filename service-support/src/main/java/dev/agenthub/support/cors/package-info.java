/**
 * Cross-origin access for every hub service: one filter, in front of the security chain,
 * that answers preflights and adds {@code Access-Control-Allow-Origin} to every HTTP API
 * and to the Socket.IO long-polling transport.
 */
package dev.agenthub.support.cors;
