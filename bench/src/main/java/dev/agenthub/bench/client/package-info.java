/**
 * Load-generator clients: browser and agent WebSockets, the publish API, token minting.
 */
package dev.agenthub.bench.client;
