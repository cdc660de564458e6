/**
 * The gateway's settings and wiring.
 */
package dev.agenthub.gateway.config;
