/**
 * The contracts every hub service and client relies on: the wire envelope, the event
 * catalogue, channel names, the JSON codec, size limits, token claims and the one
 * catalogue of error and close codes. Plain Java and Jackson; no Spring web code.
 */
package dev.agenthub.contracts;
