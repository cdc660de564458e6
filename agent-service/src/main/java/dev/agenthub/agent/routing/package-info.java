/**
 * Node-to-node messages: commands, cancels and replace notices go to the agent-service
 * instance that holds the workspace's agent.
 */
package dev.agenthub.agent.routing;
