/**
 * Commands and terminal tabs for agents: validation, routing to the node holding the
 * workspace's agent, and task state.
 */
package dev.agenthub.agent.task;
