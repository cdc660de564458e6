package dev.agenthub.agent.state;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code agent} table: one row per workspace. A registration writes only when its
 * fencing token is newer than the row's, and a session's later writes name the session,
 * so a replaced session's late writes never overwrite its successor's state.
 */
public class AgentStore {

	private static final String COLUMNS = "workspace_id, agent_id, session_id, node_id, version, status, lifecycle,"
			+ " capabilities, first_connected_at, last_connected_at, disconnected_at, last_heartbeat_at";

	private static final int HEARTBEAT_CHUNK = 1000;

	private final DatabaseClient client;

	public AgentStore(ConnectionFactory connectionFactory) {
		this.client = DatabaseClient.create(connectionFactory);
	}

	/** Records a registration (status {@code connected}). */
	public Mono<Void> connected(String workspaceId, String agentId, String sessionId, String nodeId, long fence,
			String version, String capabilities, Instant now) {
		GenericExecuteSpec update = this.client
			.sql("UPDATE agent SET agent_id = :agentId, session_id = :sessionId, node_id = :nodeId, fence = :fence,"
					+ " version = :version, status = 'connected', lifecycle = NULL, capabilities = :capabilities,"
					+ " last_connected_at = :now, disconnected_at = NULL, last_heartbeat_at = :now"
					+ " WHERE workspace_id = :workspaceId AND fence < :fence");
		GenericExecuteSpec insert = this.client.sql("INSERT INTO agent (workspace_id, agent_id, session_id, node_id,"
				+ " fence, version, status, capabilities, first_connected_at, last_connected_at, last_heartbeat_at)"
				+ " VALUES (:workspaceId, :agentId, :sessionId, :nodeId, :fence, :version, 'connected', :capabilities,"
				+ " :now, :now, :now) ON CONFLICT DO NOTHING");
		return bindRegistration(update, workspaceId, agentId, sessionId, nodeId, fence, version, capabilities, now)
			.fetch()
			.rowsUpdated()
			.flatMap((rows) -> (rows > 0) ? Mono.empty() : bindRegistration(insert, workspaceId, agentId, sessionId,
					nodeId, fence, version, capabilities, now)
				.then());
	}

	private static GenericExecuteSpec bindRegistration(GenericExecuteSpec spec, String workspaceId, String agentId,
			String sessionId, String nodeId, long fence, String version, String capabilities, Instant now) {
		GenericExecuteSpec bound = spec.bind("workspaceId", workspaceId)
			.bind("agentId", agentId)
			.bind("sessionId", sessionId)
			.bind("nodeId", nodeId)
			.bind("fence", fence)
			.bind("version", version)
			.bind("now", time(now));
		return (capabilities != null) ? bound.bind("capabilities", capabilities)
				: bound.bindNull("capabilities", String.class);
	}

	/** Records the end of a session ({@code disconnected} or {@code timeout}). */
	public Mono<Void> disconnected(String workspaceId, String sessionId, String status, Instant now) {
		return this.client
			.sql("UPDATE agent SET status = :status, disconnected_at = :now"
					+ " WHERE workspace_id = :workspaceId AND session_id = :sessionId")
			.bind("status", status)
			.bind("now", time(now))
			.bind("workspaceId", workspaceId)
			.bind("sessionId", sessionId)
			.then();
	}

	/** Records the lifecycle state a session reported. */
	public Mono<Void> lifecycle(String workspaceId, String sessionId, String lifecycle) {
		return this.client.sql(
				"UPDATE agent SET lifecycle = :lifecycle WHERE workspace_id = :workspaceId AND session_id = :sessionId")
			.bind("lifecycle", lifecycle)
			.bind("workspaceId", workspaceId)
			.bind("sessionId", sessionId)
			.then();
	}

	/** Records that these sessions were heard from (one statement for all of them). */
	public Mono<Void> heartbeats(Collection<String> sessionIds, Instant at) {
		if (sessionIds.isEmpty()) {
			return Mono.empty();
		}
		// Chunks keep every statement far below PostgreSQL's bind-parameter limit.
		List<String> ids = List.copyOf(sessionIds);
		return Flux.range(0, (ids.size() + HEARTBEAT_CHUNK - 1) / HEARTBEAT_CHUNK)
			.concatMap((chunk) -> this.client
				.sql("UPDATE agent SET last_heartbeat_at = :at WHERE session_id IN (:sessions)")
				.bind("at", time(at))
				.bind("sessions",
						ids.subList(chunk * HEARTBEAT_CHUNK, Math.min(ids.size(), (chunk + 1) * HEARTBEAT_CHUNK)))
				.then())
			.then();
	}

	/** The agent of a workspace. */
	public Mono<AgentRecord> find(String workspaceId) {
		return this.client.sql("SELECT " + COLUMNS + " FROM agent WHERE workspace_id = :workspaceId")
			.bind("workspaceId", workspaceId)
			.map(AgentStore::toRecord)
			.one();
	}

	/** The workspace an agent id serves (most recent registration), or empty. */
	public Mono<String> workspaceOfAgent(String agentId) {
		return this.client
			.sql("SELECT workspace_id FROM agent WHERE agent_id = :agentId ORDER BY last_connected_at DESC LIMIT 1")
			.bind("agentId", agentId)
			.map((row) -> row.get("workspace_id", String.class))
			.one();
	}

	/** The agents of the given workspaces, by workspace. */
	public Flux<AgentRecord> findIn(Collection<String> workspaceIds, int limit) {
		if (workspaceIds.isEmpty()) {
			return Flux.empty();
		}
		return this.client
			.sql("SELECT " + COLUMNS + " FROM agent WHERE workspace_id IN (:workspaces) ORDER BY workspace_id"
					+ " LIMIT :limit")
			.bind("workspaces", List.copyOf(workspaceIds))
			.bind("limit", limit)
			.map(AgentStore::toRecord)
			.all();
	}

	/** Every known agent, by workspace. */
	public Flux<AgentRecord> findAll(int limit) {
		return this.client.sql("SELECT " + COLUMNS + " FROM agent ORDER BY workspace_id LIMIT :limit")
			.bind("limit", limit)
			.map(AgentStore::toRecord)
			.all();
	}

	static OffsetDateTime time(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static AgentRecord toRecord(Readable row) {
		return new AgentRecord(row.get("workspace_id", String.class), row.get("agent_id", String.class),
				row.get("session_id", String.class), row.get("node_id", String.class), row.get("version", String.class),
				row.get("status", String.class), row.get("lifecycle", String.class),
				row.get("capabilities", String.class), instant(row, "first_connected_at"),
				instant(row, "last_connected_at"), instant(row, "disconnected_at"), instant(row, "last_heartbeat_at"));
	}

}
