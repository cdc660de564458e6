package dev.agenthub.sidecar.command;

import dev.agenthub.contracts.event.TaskState;

/**
 * Where a task's output and status go ({@code output} and {@code status} messages).
 */
public interface TaskReporter {

	/**
	 * A chunk of output.
	 * @param taskId the task
	 * @param text the text
	 * @param isError {@code true} for stderr
	 */
	void output(String taskId, String text, boolean isError);

	/**
	 * A status change: {@code running}, then one terminal status.
	 * @param taskId the task
	 * @param status the status
	 * @param exitCode the exit code, or {@code null}
	 * @param error why it failed or was cancelled, or {@code null}
	 */
	void status(String taskId, TaskState status, Integer exitCode, String error);

}
