/**
 * What browsers ask of workspace agents over their socket, forwarded to agent-service for
 * the user ({@link dev.agenthub.gateway.command.AgentServiceCalls}): {@code command},
 * {@code cancel}, and the terminal tabs' {@code tab:start} and {@code tab:stop}. Each is
 * a message type of every dialect and a Socket.IO event of the same name (its
 * acknowledgement carries the {@code ack}'s or the {@code error}'s data).
 */
package dev.agenthub.gateway.command;
