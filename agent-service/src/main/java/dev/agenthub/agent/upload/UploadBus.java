package dev.agenthub.agent.upload;

import java.time.Duration;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.routing.NodeBus;
import dev.agenthub.agent.routing.NodeMessage;
import org.springframework.context.SmartLifecycle;

/**
 * The node bus uploads travel on: a {@link NodeBus} of its own (commands keep theirs), on
 * which this node receives pieces for its agents ({@link UploadRelay}) and replies for
 * the uploads it sends ({@link UploadService}).
 */
public class UploadBus implements SmartLifecycle {

	/** Kind of the messages that carry an agent's reply back to the sending node. */
	static final String REPLY = "reply";

	private final NodeBus bus;

	private final String nodeId;

	private volatile UploadRelay relay;

	private volatile UploadService service;

	private volatile boolean running;

	UploadBus(NodeBus bus, AgentProperties properties) {
		this.bus = bus;
		this.nodeId = properties.nodeId();
	}

	void wire(UploadRelay relay, UploadService service) {
		this.relay = relay;
		this.service = service;
	}

	NodeBus bus() {
		return this.bus;
	}

	String nodeId() {
		return this.nodeId;
	}

	@Override
	public void start() {
		// Startup, not a request path: this node must hear uploads before its agents
		// register (bounded wait).
		this.bus.listen(this.nodeId, this::onMessage).block(Duration.ofSeconds(10));
		this.running = true;
	}

	private void onMessage(NodeMessage message) {
		if (REPLY.equals(message.kind())) {
			this.service.onReply(message.data());
		}
		else {
			this.relay.toAgent(message);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.bus instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// shutting down: nothing left to do with a bus that fails to close
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
