package dev.agenthub.agent.session;

import java.time.Duration;
import java.time.Instant;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.routing.NodeBus;
import dev.agenthub.agent.routing.NodeMessage;
import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.contracts.event.TaskStatus;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Carries out what other nodes (or this one) ask of this node's agents: deliver a
 * {@code command}, {@code cancel}, {@code tab:start} or {@code tab:stop}, close a
 * replaced session.
 */
@Component
class NodeMessages implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NodeMessages.class);

	private final NodeBus bus;

	private final AgentRegistry registry;

	private final AgentSessions sessions;

	private final TaskTracker tasks;

	private final Broker broker;

	private final AgentProperties properties;

	private volatile boolean running;

	NodeMessages(NodeBus bus, AgentRegistry registry, AgentSessions sessions, TaskTracker tasks, Broker broker,
			AgentProperties properties) {
		this.bus = bus;
		this.registry = registry;
		this.sessions = sessions;
		this.tasks = tasks;
		this.broker = broker;
		this.properties = properties;
	}

	@Override
	public void start() {
		// Startup, not a request path: the node must be reachable before agents can
		// register with it, so wait (bounded) for the subscription.
		this.bus.listen(this.properties.nodeId(), this::onMessage).block(Duration.ofSeconds(10));
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	void onMessage(NodeMessage message) {
		switch (message.kind()) {
			case NodeMessage.REPLACE -> this.sessions.replaceLocal(message.sessionId(), message.workspaceId());
			case NodeMessage.COMMAND -> command(message);
			case NodeMessage.CANCEL -> toAgent(message, MessageTypes.CANCEL);
			case NodeMessage.TAB_START -> toAgent(message, MessageTypes.TAB_START);
			case NodeMessage.TAB_STOP -> toAgent(message, MessageTypes.TAB_STOP);
			case NodeMessage.TAB_INPUT -> toAgent(message, MessageTypes.TAB_INPUT);
			default -> logger.warn("Unknown node message kind {}", message.kind());
		}
	}

	/**
	 * Gives the workspace's local agent a message; when the agent left between the
	 * routing and the delivery the message is dropped (delivery is at most once: the
	 * client sees no {@code tab:started}, {@code tab:stopped} or {@code task:status}
	 * follow, and asks again once an agent is back).
	 */
	private void toAgent(NodeMessage message, String type) {
		AgentSession session = this.registry.forWorkspace(message.workspaceId());
		if (session != null) {
			session.connection().send(ServerMessage.of(type, null, message.data()));
		}
		else {
			logger.debug("No agent of workspace {} here for {}", message.workspaceId(), type);
		}
	}

	private void command(NodeMessage message) {
		String taskId = message.data().get("taskId").asString();
		AgentSession session = this.registry.forWorkspace(message.workspaceId());
		if (session != null && session.isRegistered() && !session.connection().isClosed()) {
			this.tasks.track(taskId, message.workspaceId());
			session.connection().send(ServerMessage.of(MessageTypes.COMMAND, null, message.data()));
			return;
		}
		// The agent left between the routing and the delivery: say so rather than
		// leave the task queued forever.
		String error = "the agent disconnected before the command was delivered";
		TaskStatus failed = new TaskStatus(taskId, TaskState.FAILED.wireName(), null, error);
		this.tasks.status(taskId, TaskState.FAILED.wireName(), null, error, true)
			.then(this.broker.publish(Channel.workspace(message.workspaceId()).name(), EventType.TASK_STATUS.wireName(),
					HubJson.tree(failed)))
			.then(this.broker.publish(Channel.task(taskId).name(), EventType.TASK_STATUS.wireName(),
					HubJson.tree(failed)))
			.onErrorResume((ex) -> {
				logger.warn("Could not fail undeliverable task {}: {}", taskId, ex.toString());
				return Mono.empty();
			})
			.subscribe();
		logger.info("Task {} of workspace {} failed at {}: {}", taskId, message.workspaceId(), Instant.now(), error);
	}

}
