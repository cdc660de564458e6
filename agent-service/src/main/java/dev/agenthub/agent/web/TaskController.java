package dev.agenthub.agent.web;

import java.util.Map;

import dev.agenthub.agent.task.CommandRequest;
import dev.agenthub.agent.task.CommandService;
import dev.agenthub.agent.task.CommandService.Submitted;
import dev.agenthub.agent.task.TaskRecord;
import dev.agenthub.agent.task.TaskStore;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.support.auth.CurrentPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Commands and tasks: {@code POST /api/workspaces/{id}/commands} (202 {@code {taskId}};
 * needs {@link Access#exec}), {@code GET /api/tasks/{id}}, {@code POST
 * /api/tasks/{id}/cancel} (needs {@link Access#exec}). Another workspace's task is 404.
 */
@RestController
class TaskController {

	private final CommandService commands;

	private final TaskStore tasks;

	TaskController(CommandService commands, TaskStore tasks) {
		this.commands = commands;
		this.tasks = tasks;
	}

	@PostMapping("/api/workspaces/{workspaceId}/commands")
	Mono<ResponseEntity<Map<String, Object>>> command(@PathVariable String workspaceId,
			@RequestBody(required = false) JsonNode body,
			@RequestHeader(name = Access.ON_BEHALF_OF, required = false) String onBehalfOf) {
		Channel.workspace(workspaceId);
		return Access.exec(workspaceId).flatMap((principal) -> {
			CommandRequest request = CommandRequest.parse(body);
			return this.commands.submit(workspaceId, request, Access.requester(principal, onBehalfOf));
		}).map(TaskController::accepted);
	}

	@GetMapping("/api/tasks/{taskId}")
	Mono<TaskRecord> task(@PathVariable String taskId) {
		return find(taskId);
	}

	@PostMapping("/api/tasks/{taskId}/cancel")
	Mono<ResponseEntity<Map<String, Object>>> cancel(@PathVariable String taskId) {
		return find(taskId).flatMap((task) -> Access.exec(task.workspaceId()).thenReturn(task))
			.flatMap(this.commands::cancel)
			.map(TaskController::accepted);
	}

	/**
	 * The task, when the caller may see its workspace. Another workspace's task is the
	 * same 404 as a missing one: the answer must not confirm it exists, nor name its
	 * workspace.
	 */
	private Mono<TaskRecord> find(String taskId) {
		Channel.task(taskId);
		return CurrentPrincipal.get()
			.flatMap((principal) -> this.tasks.find(taskId)
				.filter((task) -> principal.maySeeWorkspace(task.workspaceId())))
			.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, "no task " + taskId)));
	}

	private static ResponseEntity<Map<String, Object>> accepted(Submitted submitted) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("taskId", submitted.taskId(), "status", submitted.status(), "duplicate",
					submitted.duplicate()));
	}

}
