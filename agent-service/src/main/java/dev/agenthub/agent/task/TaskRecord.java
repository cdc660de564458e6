package dev.agenthub.agent.task;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A command sent to an agent, as stored ({@code task} table) and served by {@code GET
 * /api/tasks/{id}}. Environment variables are kept by name only: their values may be
 * secrets.
 *
 * @param taskId the task
 * @param workspaceId the workspace whose agent runs it
 * @param command the executable (argv[0])
 * @param args the arguments
 * @param cwd the working directory, or null for the agent's default
 * @param envKeys names of the environment variables given
 * @param timeoutSeconds the time limit, or null
 * @param requestedBy the user (or service) that asked
 * @param status {@code queued}, {@code running}, {@code completed}, {@code failed} or
 * {@code cancelled}
 * @param exitCode the exit code once ended, or null
 * @param error why it failed, or null
 * @param output the last 65,536 characters of its output (stdout and stderr as they came)
 * @param createdAt when it was asked for
 * @param startedAt when the agent reported it running
 * @param finishedAt when it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRecord(String taskId, String workspaceId, String command, List<String> args, String cwd,
		List<String> envKeys, Integer timeoutSeconds, String requestedBy, String status, Integer exitCode, String error,
		String output, Instant createdAt, Instant startedAt, Instant finishedAt) {

}
