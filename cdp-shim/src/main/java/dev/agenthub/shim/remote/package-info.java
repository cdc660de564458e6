/**
 * The real Chrome the shim relays to: where it is ({@code CDP_HOST}/{@code CDP_PORT}),
 * how to talk to it (the {@code Host} header it accepts), and a watch that notices when
 * it goes away.
 */
package dev.agenthub.shim.remote;
