/**
 * Seed 003's timestamp sync protocol: {@code sync_request} answered from
 * broadcast-service's log with the changes on the channels the user may see.
 */
package dev.agenthub.gateway.sync;
