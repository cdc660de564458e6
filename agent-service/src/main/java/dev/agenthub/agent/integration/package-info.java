/**
 * agent-service's calls to integration-service.
 */
package dev.agenthub.agent.integration;
