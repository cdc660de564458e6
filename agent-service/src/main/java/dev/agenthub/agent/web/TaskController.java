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
 * /api/tasks/{id}/cancel} and {@code POST /api/workspaces/{id}/tasks/{taskId}/cancel}
 * (both need {@link Access#exec} in the task's workspace). Another workspace's task is
 * 404.
 * <p>
 * A service acting for a user ({@link Access#ON_BEHALF_OF}: the gateway) has checked that
 * user's rights in a workspace itself; this service cannot, as it never sees the user's
 * token. So such a service cancels only through the route naming the workspace it
 * checked, and a task of any other workspace is 404 there: a user who may run commands in
 * one workspace never cancels another's task through the gateway. The route without a
 * workspace refuses a request on behalf of a user ({@code bad_request}).
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
	Mono<ResponseEntity<Map<String, Object>>> cancel(@PathVariable String taskId,
			@RequestHeader(name = Access.ON_BEHALF_OF, required = false) String onBehalfOf) {
		return CurrentPrincipal.get()
			.filter((principal) -> Access.actsForUser(principal, onBehalfOf))
			.flatMap((principal) -> Mono
				.<TaskRecord>error(ContractViolation.badRequest("a service acting for a user (" + Access.ON_BEHALF_OF
						+ ") cancels through POST /api/workspaces/{workspaceId}/tasks/{taskId}/cancel,"
						+ " naming the workspace in which it checked that the user may run commands")))
			.switchIfEmpty(find(taskId))
			.flatMap((task) -> Access.exec(task.workspaceId()).thenReturn(task))
			.flatMap(this.commands::cancel)
			.map(TaskController::accepted);
	}

	/**
	 * Cancels a task of the named workspace: the caller needs {@link Access#exec} there,
	 * and a task of another workspace is the same 404 as a missing one.
	 */
	@PostMapping("/api/workspaces/{workspaceId}/tasks/{taskId}/cancel")
	Mono<ResponseEntity<Map<String, Object>>> cancelIn(@PathVariable String workspaceId, @PathVariable String taskId) {
		Channel.workspace(workspaceId);
		Channel.task(taskId);
		return Access.exec(workspaceId)
			.flatMap((principal) -> this.tasks.find(taskId))
			.filter((task) -> task.workspaceId().equals(workspaceId))
			.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.NOT_FOUND, "no task " + taskId)))
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
