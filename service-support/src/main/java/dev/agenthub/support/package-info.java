/**
 * Run-time pieces every hub service shares: token verification, the engine wiring and API
 * error bodies. Each service imports them through Spring Boot auto-configuration.
 */
package dev.agenthub.support;
