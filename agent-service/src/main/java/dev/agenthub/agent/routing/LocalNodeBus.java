package dev.agenthub.agent.routing;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/** {@link NodeBus} of the memory engine: there is only this node. */
public class LocalNodeBus implements NodeBus {

	private volatile String nodeId;

	private volatile Consumer<NodeMessage> listener;

	@Override
	public Mono<Boolean> send(String nodeId, NodeMessage message) {
		return Mono.fromSupplier(() -> {
			Consumer<NodeMessage> target = this.listener;
			if (target == null || !nodeId.equals(this.nodeId)) {
				return false;
			}
			target.accept(message);
			return true;
		});
	}

	@Override
	public Mono<Void> listen(String nodeId, Consumer<NodeMessage> listener) {
		this.nodeId = nodeId;
		this.listener = listener;
		return Mono.empty();
	}

}
