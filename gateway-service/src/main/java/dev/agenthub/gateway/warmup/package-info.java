/**
 * The gateway's warm-up: before it reports ready it serves its own loopback clients, so
 * that the first crowd it meets (a dead gateway's clients, all at once) finds its code
 * compiled.
 */
package dev.agenthub.gateway.warmup;
