package dev.agenthub.agent.routing;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * Messages addressed to one agent-service node (the one holding a workspace's agent).
 * Delivery is at most once, in send order per sender; a node that is gone receives
 * nothing, which {@link #send} reports.
 */
public interface NodeBus {

	/**
	 * Sends a message to a node.
	 * @return {@code true} when a node listening under that id received it
	 */
	Mono<Boolean> send(String nodeId, NodeMessage message);

	/**
	 * Starts delivering this node's messages to a listener (one per node).
	 * @return completes once messages are being received
	 */
	Mono<Void> listen(String nodeId, Consumer<NodeMessage> listener);

}
