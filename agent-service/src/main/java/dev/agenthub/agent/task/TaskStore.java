package dev.agenthub.agent.task;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.TaskState;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * The {@code task} table. Inserting a task id, or a workspace's idempotency key, that
 * exists already changes nothing, which is how a repeated request is recognised. Works on
 * PostgreSQL ({@code jsonb}) and H2.
 */
public class TaskStore {

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private final DatabaseClient client;

	private final boolean postgres;

	public TaskStore(ConnectionFactory connectionFactory) {
		this.client = DatabaseClient.create(connectionFactory);
		this.postgres = connectionFactory.getMetadata().getName().toLowerCase().contains("postgres");
	}

	/** Stores a new task; {@code false} when its id exists already. */
	public Mono<Boolean> insert(TaskRecord task) {
		return insert(task, null, null);
	}

	/**
	 * Stores a new task under a client's idempotency key.
	 * @param task the task
	 * @param idempotencyKey the key, unique within the task's workspace, or {@code null}
	 * @param fingerprint what the key names ({@link CommandRequest#fingerprint}), or
	 * {@code null}
	 * @return {@code false} when the id, or the key in that workspace, exists already
	 */
	public Mono<Boolean> insert(TaskRecord task, String idempotencyKey, String fingerprint) {
		String json = this.postgres ? "CAST(%s AS JSONB)" : "%s";
		GenericExecuteSpec spec = this.client
			.sql("INSERT INTO task (task_id, workspace_id, command, args, cwd,"
					+ " env_keys, timeout_seconds, requested_by, status, created_at, updated_at, idempotency_key,"
					+ " request_fingerprint)" + " VALUES (:taskId, :workspaceId, :command, "
					+ String.format(json, ":args") + ", :cwd, " + String.format(json, ":envKeys")
					+ ", :timeout, :requestedBy, :status, :now, :now, :key, :fingerprint)" + " ON CONFLICT DO NOTHING")
			.bind("taskId", task.taskId())
			.bind("workspaceId", task.workspaceId())
			.bind("command", task.command())
			.bind("args", HubJson.write(task.args()))
			.bind("envKeys", HubJson.write(task.envKeys()))
			.bind("status", task.status())
			.bind("now", time(task.createdAt()));
		spec = (task.cwd() != null) ? spec.bind("cwd", task.cwd()) : spec.bindNull("cwd", String.class);
		spec = (task.timeoutSeconds() != null) ? spec.bind("timeout", task.timeoutSeconds())
				: spec.bindNull("timeout", Integer.class);
		spec = (task.requestedBy() != null) ? spec.bind("requestedBy", task.requestedBy())
				: spec.bindNull("requestedBy", String.class);
		spec = (idempotencyKey != null) ? spec.bind("key", idempotencyKey) : spec.bindNull("key", String.class);
		spec = (fingerprint != null) ? spec.bind("fingerprint", fingerprint)
				: spec.bindNull("fingerprint", String.class);
		return spec.fetch().rowsUpdated().map((rows) -> rows > 0);
	}

	/**
	 * The task a workspace stored under an idempotency key, or empty.
	 * @param workspaceId the workspace
	 * @param idempotencyKey the client's key
	 * @return its task id
	 */
	public Mono<String> taskIdOf(String workspaceId, String idempotencyKey) {
		return this.client.sql("SELECT task_id FROM task WHERE workspace_id = :workspaceId AND idempotency_key = :key")
			.bind("workspaceId", workspaceId)
			.bind("key", idempotencyKey)
			.map((row) -> row.get("task_id", String.class))
			.one();
	}

	/**
	 * The fingerprint of the request a task was stored for, or empty (none recorded:
	 * stored without an idempotency key, or before fingerprints were).
	 */
	public Mono<String> fingerprintOf(String taskId) {
		return this.client.sql("SELECT request_fingerprint FROM task WHERE task_id = :taskId")
			.bind("taskId", taskId)
			.map((row) -> Optional.ofNullable(row.get("request_fingerprint", String.class)))
			.one()
			.flatMap(Mono::justOrEmpty);
	}

	/** A task, or empty. */
	public Mono<TaskRecord> find(String taskId) {
		String json = this.postgres ? "%s::text AS %s" : "%s AS %s";
		return this.client.sql("SELECT task_id, workspace_id, command, " + String.format(json, "args", "args")
				+ ", cwd, " + String.format(json, "env_keys", "env_keys") + ", timeout_seconds, requested_by, status,"
				+ " exit_code, error, output, created_at, started_at, finished_at FROM task WHERE task_id = :taskId")
			.bind("taskId", taskId)
			.map(TaskStore::toRecord)
			.one();
	}

	/**
	 * The workspace a task belongs to and the output stored with it, or empty.
	 * @return the task's workspace and output tail ({@code ""} when none is stored)
	 */
	public Mono<Stored> stored(String taskId) {
		return this.client.sql("SELECT workspace_id, output FROM task WHERE task_id = :taskId")
			.bind("taskId", taskId)
			.map((row) -> new Stored(row.get("workspace_id", String.class),
					Objects.requireNonNullElse(row.get("output", String.class), "")))
			.one();
	}

	/**
	 * What {@link #stored(String)} reads of a task.
	 *
	 * @param workspaceId its workspace
	 * @param output its stored output tail
	 */
	public record Stored(String workspaceId, String output) {

	}

	/** The workspace a task belongs to, or empty. */
	public Mono<String> workspaceOf(String taskId) {
		return this.client.sql("SELECT workspace_id FROM task WHERE task_id = :taskId")
			.bind("taskId", taskId)
			.map((row) -> row.get("workspace_id", String.class))
			.one();
	}

	/**
	 * Records a state change; a task that has ended does not change any more.
	 * @param output the output tail to store, or {@code null} to keep the stored one
	 */
	public Mono<Void> status(String taskId, String status, Integer exitCode, String error, String output, Instant now) {
		boolean running = TaskState.RUNNING.wireName().equals(status);
		boolean ended = !running && !TaskState.QUEUED.wireName().equals(status);
		StringBuilder sql = new StringBuilder("UPDATE task SET status = :status, updated_at = :now");
		if (running) {
			sql.append(", started_at = COALESCE(started_at, :now)");
		}
		if (ended) {
			sql.append(", finished_at = :now, exit_code = :exitCode, error = :error");
		}
		if (output != null) {
			sql.append(", output = :output");
		}
		sql.append(" WHERE task_id = :taskId AND status IN ('queued', 'running')");
		GenericExecuteSpec spec = this.client.sql(sql.toString())
			.bind("status", status)
			.bind("now", time(now))
			.bind("taskId", taskId);
		if (ended) {
			spec = (exitCode != null) ? spec.bind("exitCode", exitCode) : spec.bindNull("exitCode", Integer.class);
			spec = (error != null) ? spec.bind("error", truncate(error, 1024)) : spec.bindNull("error", String.class);
		}
		if (output != null) {
			spec = spec.bind("output", output);
		}
		return spec.then();
	}

	/**
	 * Ends a task that has not ended yet.
	 * @param output the output tail to store, or {@code null} to keep the stored one
	 * @return whether this call ended it
	 */
	public Mono<Boolean> end(String taskId, String status, String error, String output, Instant now) {
		GenericExecuteSpec spec = this.client
			.sql("UPDATE task SET status = :status, updated_at = :now, finished_at = :now, error = :error"
					+ ((output != null) ? ", output = :output" : "")
					+ " WHERE task_id = :taskId AND status IN ('queued', 'running')")
			.bind("status", status)
			.bind("now", time(now))
			.bind("error", truncate(error, 1024))
			.bind("taskId", taskId);
		if (output != null) {
			spec = spec.bind("output", output);
		}
		return spec.fetch().rowsUpdated().map((rows) -> rows > 0);
	}

	/**
	 * The queued and running tasks of a workspace created before a time, oldest first.
	 */
	public Flux<String> unfinished(String workspaceId, Instant before, int limit) {
		return this.client
			.sql("SELECT task_id FROM task WHERE workspace_id = :workspaceId AND status IN ('queued', 'running')"
					+ " AND created_at < :before ORDER BY created_at LIMIT " + limit)
			.bind("workspaceId", workspaceId)
			.bind("before", time(before))
			.map((row) -> row.get("task_id", String.class))
			.all();
	}

	/**
	 * Queued and running tasks, unchanged since {@code cutoff}, of workspaces whose agent
	 * has been gone since before it: disconnected then, or recorded connected but not
	 * heard from since (its node died), or never registered.
	 */
	public Flux<Orphan> orphaned(Instant cutoff, int limit) {
		return this.client
			.sql("SELECT t.task_id, t.workspace_id FROM task t LEFT JOIN agent a"
					+ " ON a.workspace_id = t.workspace_id WHERE t.status IN ('queued', 'running')"
					+ " AND t.updated_at < :cutoff AND (a.workspace_id IS NULL"
					+ " OR (a.status <> 'connected' AND COALESCE(a.disconnected_at, a.last_connected_at) < :cutoff)"
					+ " OR (a.status = 'connected' AND COALESCE(a.last_heartbeat_at, a.last_connected_at) < :cutoff))"
					+ " ORDER BY t.updated_at LIMIT " + limit)
			.bind("cutoff", time(cutoff))
			.map((row) -> new Orphan(row.get("task_id", String.class), row.get("workspace_id", String.class)))
			.all();
	}

	/**
	 * A task whose agent is gone.
	 *
	 * @param taskId the task
	 * @param workspaceId its workspace
	 */
	public record Orphan(String taskId, String workspaceId) {

	}

	/**
	 * Stores a running task's output tail; an ended task's stays as it ended (an agent
	 * reporting output for it after its end does not overwrite it).
	 */
	public Mono<Void> output(String taskId, String output, Instant now) {
		return this.client
			.sql("UPDATE task SET output = :output, updated_at = :now"
					+ " WHERE task_id = :taskId AND status IN ('queued', 'running')")
			.bind("output", output)
			.bind("now", time(now))
			.bind("taskId", taskId)
			.then();
	}

	private static String truncate(String text, int max) {
		return (text.length() > max) ? text.substring(0, max) : text;
	}

	private static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static TaskRecord toRecord(Readable row) {
		return new TaskRecord(row.get("task_id", String.class), row.get("workspace_id", String.class),
				row.get("command", String.class), HubJson.mapper().readValue(row.get("args", String.class), STRINGS),
				row.get("cwd", String.class), HubJson.mapper().readValue(row.get("env_keys", String.class), STRINGS),
				row.get("timeout_seconds", Integer.class), row.get("requested_by", String.class),
				row.get("status", String.class), row.get("exit_code", Integer.class), row.get("error", String.class),
				row.get("output", String.class), instant(row, "created_at"), instant(row, "started_at"),
				instant(row, "finished_at"));
	}

}
