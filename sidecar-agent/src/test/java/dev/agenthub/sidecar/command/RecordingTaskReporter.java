package dev.agenthub.sidecar.command;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.contracts.event.TaskState;

import static org.awaitility.Awaitility.await;

/**
 * Records what a {@link CommandRunner} reports.
 */
final class RecordingTaskReporter implements TaskReporter {

	record Status(String taskId, TaskState status, Integer exitCode, String error) {
	}

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<Status> statuses = new CopyOnWriteArrayList<>();

	final StringBuffer stdout = new StringBuffer();

	final StringBuffer stderr = new StringBuffer();

	@Override
	public void output(String taskId, String text, boolean isError) {
		(isError ? this.stderr : this.stdout).append(text);
		this.events.add((isError ? "stderr:" : "stdout:") + taskId);
	}

	@Override
	public void status(String taskId, TaskState status, Integer exitCode, String error) {
		this.statuses.add(new Status(taskId, status, exitCode, error));
		this.events.add("status:" + status.wireName() + ":" + taskId);
	}

	Status awaitFinal(String taskId) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.statuses.stream()
				.anyMatch((s) -> s.taskId().equals(taskId) && s.status() != TaskState.RUNNING));
		return this.statuses.stream()
			.filter((s) -> s.taskId().equals(taskId) && s.status() != TaskState.RUNNING)
			.findFirst()
			.orElseThrow();
	}

}
