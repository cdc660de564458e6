/**
 * Node-to-node messages: commands, cancels, terminal tabs'
 * {@code tab:start}/{@code tab:stop} and replace notices go to the agent-service instance
 * that holds the workspace's agent.
 */
package dev.agenthub.agent.routing;
