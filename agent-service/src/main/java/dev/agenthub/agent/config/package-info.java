/**
 * The agent ingress's settings and wiring.
 */
package dev.agenthub.agent.config;
