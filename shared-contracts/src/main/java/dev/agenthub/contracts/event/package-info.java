/**
 * The wire envelope ({@link dev.agenthub.contracts.event.HubEvent}), the event catalogue
 * ({@link dev.agenthub.contracts.event.EventType}) and the typed payloads, each of which
 * validates itself.
 */
package dev.agenthub.contracts.event;
