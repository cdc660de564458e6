package dev.agenthub.contracts.event;

import java.util.Set;

/**
 * {@code task:status}: a command's state.
 *
 * @param taskId the task
 * @param status {@code queued}, {@code running}, {@code completed}, {@code failed} or
 * {@code cancelled}
 * @param exitCode the process's exit code, once ended
 * @param error why it failed; optional
 */
public record TaskStatus(String taskId, String status, Integer exitCode, String error) implements EventPayload {

	/** The states a task passes through. */
	public static final Set<String> STATES = TaskState.WIRE_NAMES;

	public TaskStatus {
		Check.id(taskId, "taskId");
		Check.oneOf(status, "status", STATES);
	}

	/** Whether the task can change no more. */
	public boolean terminal() {
		return TaskState.of(this.status).terminal();
	}

}
