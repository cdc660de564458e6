package dev.agenthub.agent.session;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.agent.task.TaskTracker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.TaskOutput;
import dev.agenthub.contracts.event.TaskStatus;
import dev.agenthub.contracts.message.MessageTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An agent's reports on its tasks: {@code output} and {@code status} become
 * {@code task:output} and {@code task:status} on {@code workspace:{id}} and
 * {@code task:{taskId}}, in the order the agent sent them; the task row follows. An agent
 * may report only its own workspace's tasks.
 */
@Component
class TaskMessages {

	private static final Logger logger = LoggerFactory.getLogger(TaskMessages.class);

	private final TaskTracker tasks;

	TaskMessages(TaskTracker tasks) {
		this.tasks = tasks;
	}

	/**
	 * Absent optional fields stay absent on the wire ({@code exitCode}, {@code error}).
	 */
	private static JsonNode withoutNulls(JsonNode node) {
		if (node instanceof ObjectNode object) {
			List<String> nulls = new ArrayList<>();
			object.properties().forEach((entry) -> {
				if (entry.getValue().isNull()) {
					nulls.add(entry.getKey());
				}
			});
			object.remove(nulls);
		}
		return node;
	}

	Mono<Void> handle(AgentSession session, String type, JsonNode data) {
		boolean output = MessageTypes.OUTPUT.equals(type);
		String eventType = output ? EventType.TASK_OUTPUT.wireName() : EventType.TASK_STATUS.wireName();
		Object payload = HubJson.validate(eventType, data);
		String taskId = data.get("taskId").asString();
		return this.tasks.belongsTo(taskId, session.workspaceId()).flatMap((mine) -> {
			if (!mine) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN,
						type + ": task " + taskId + " is not a task of workspace " + session.workspaceId()));
			}
			JsonNode normalized = withoutNulls(HubJson.tree(payload));
			if (!session.publisher().offer(eventType, normalized)
					|| !session.publisher().offerTo(Channel.task(taskId).name(), eventType, normalized)) {
				return Mono.error(new ContractViolation(ErrorCode.UNAVAILABLE,
						"too many events waiting to be published; slow down"));
			}
			if (output) {
				this.tasks.append(taskId, ((TaskOutput) payload).output());
				return Mono.empty();
			}
			TaskStatus status = (TaskStatus) payload;
			return this.tasks.status(taskId, status.status(), status.exitCode(), status.error(), status.terminal())
				.onErrorResume((ex) -> {
					logger.warn("Could not record status of task {}: {}", taskId, ex.toString());
					return Mono.empty();
				});
		});
	}

}
