/**
 * What every hub WebSocket ingress shares per connection: bounded outbound queue, rate
 * limit, liveness, flush-then-close, frame reading and token lookup.
 */
package dev.agenthub.support.socket;
