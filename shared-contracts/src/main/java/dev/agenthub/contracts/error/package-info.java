/**
 * The one catalogue of client-facing error codes and WebSocket close codes.
 */
package dev.agenthub.contracts.error;
