/**
 * What agents report: validation and ordered, coalesced publishing.
 */
package dev.agenthub.agent.events;
