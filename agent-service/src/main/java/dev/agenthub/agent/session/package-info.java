/**
 * Agent connections: the socket handler, registration and the node's registry.
 */
package dev.agenthub.agent.session;
