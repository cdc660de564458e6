/**
 * File upload into a workspace's container ({@code POST /api/workspaces/{id}/files}): the
 * node that takes the request streams the file in pieces over its own node bus to the
 * node holding the workspace's agent, which hands them to the agent; the agent's
 * acknowledgements and result travel back the same way. Progress and the result are
 * events on {@code task:{uploadId}}.
 */
package dev.agenthub.agent.upload;
