/**
 * The web console ({@code web-console} module, built by the Maven build into the jar
 * under {@code hub-console/}): its pages at {@code /console/} with a strict
 * Content-Security-Policy, and the endpoints its views read — {@code /api/console/...}
 * for a user's workspace and {@code /api/operator/...} (admin) for the operator view,
 * which gathers what lives in other services server-side with the gateway's service
 * token, so the browser only talks to the gateway.
 */
package dev.agenthub.gateway.console;
