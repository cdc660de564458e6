/**
 * The node's channel fan-out: one engine subscription per channel, ordered delivery with
 * gap filling, and each connection's place in each channel.
 */
package dev.agenthub.gateway.subscription;
