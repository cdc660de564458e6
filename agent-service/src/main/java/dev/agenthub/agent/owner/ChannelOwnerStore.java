package dev.agenthub.agent.owner;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code channel_owner} table: the workspace owning each {@code repository:} or
 * {@code conversation:} channel. The first record wins and is never replaced, so a
 * channel's owner never moves between workspaces; a channel without a record is readable
 * by admins and services only.
 */
@Component
public class ChannelOwnerStore {

	private final DatabaseClient client;

	public ChannelOwnerStore(ConnectionFactory connectionFactory) {
		this.client = DatabaseClient.create(connectionFactory);
	}

	/**
	 * Records a channel's owner unless it has one.
	 * @param channel the channel's name
	 * @param workspaceId the workspace publishing on it
	 * @param recordedBy who records it (the publishing service)
	 * @return the owner now recorded: {@code workspaceId}, or the earlier owner
	 */
	public Mono<String> recordIfAbsent(String channel, String workspaceId, String recordedBy) {
		return this.client
			.sql("INSERT INTO channel_owner (channel, workspace_id, recorded_by, created_at)"
					+ " VALUES (:channel, :workspaceId, :recordedBy, :now) ON CONFLICT DO NOTHING")
			.bind("channel", channel)
			.bind("workspaceId", workspaceId)
			.bind("recordedBy", recordedBy)
			.bind("now", OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.then(workspaceOf(channel));
	}

	/** The owning workspace, or empty. */
	public Mono<String> workspaceOf(String channel) {
		return this.client.sql("SELECT workspace_id FROM channel_owner WHERE channel = :channel")
			.bind("channel", channel)
			.map((row) -> row.get("workspace_id", String.class))
			.one();
	}

}
