package dev.agenthub.agent.owners;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code channel_owner} table. Guarantees: a channel's owner is set once, by the
 * first claim, and never changes (a claim by another workspace is refused, so one
 * workspace cannot take over another's channel); concurrent first claims agree on one
 * winner (the primary key decides). A workspace holds at most {@link #MAX_PER_WORKSPACE}
 * channels: a claim past that is refused, so that a tenant inventing ids cannot grow the
 * table without bound. Owners known to this node are cached (bounded; an owner never
 * changes, so a cached answer cannot go stale).
 */
@Repository
public class ChannelOwnerStore {

	/** Bound of the cache; past it the cache starts over. */
	static final int MAX_CACHED = 10_000;

	/**
	 * Channels one workspace may own (as many as the gateway lists for it: more could
	 * never be subscribed to with the workspace's own channel). Concurrent first claims
	 * of one workspace may pass it by a few.
	 */
	public static final int MAX_PER_WORKSPACE = 1000;

	private final DatabaseClient client;

	private final Map<String, String> cache = new ConcurrentHashMap<>();

	public ChannelOwnerStore(ConnectionFactory connectionFactory) {
		this.client = DatabaseClient.create(connectionFactory);
	}

	/**
	 * Claims a channel for a workspace.
	 * @param channel the channel
	 * @param workspaceId the claiming workspace
	 * @return the channel's owner after the claim: {@code workspaceId} when it won or
	 * already owned it, another workspace when that one was first; an error
	 * ({@link ErrorCode#CONFLICT}) when the channel has no owner and the workspace holds
	 * {@link #MAX_PER_WORKSPACE} channels already
	 */
	public Mono<String> claim(Channel channel, String workspaceId) {
		return ownerOf(channel).switchIfEmpty(Mono.defer(() -> claimed(workspaceId).flatMap((held) -> {
			if (held >= MAX_PER_WORKSPACE) {
				return Mono.error(new ContractViolation(ErrorCode.CONFLICT, "workspace " + workspaceId + " owns "
						+ MAX_PER_WORKSPACE + " channels already; " + channel.name() + " is not claimed"));
			}
			return this.client
				.sql("INSERT INTO channel_owner (channel, workspace_id, claimed_at)"
						+ " VALUES (:channel, :workspace, :at) ON CONFLICT DO NOTHING")
				.bind("channel", channel.name())
				.bind("workspace", workspaceId)
				.bind("at", OffsetDateTime.now(ZoneOffset.UTC))
				.fetch()
				.rowsUpdated()
				.then(ownerOf(channel))
				.defaultIfEmpty(workspaceId);
		})));
	}

	/** How many channels a workspace owns. */
	private Mono<Long> claimed(String workspaceId) {
		return this.client.sql("SELECT count(*) AS held FROM channel_owner WHERE workspace_id = :workspace")
			.bind("workspace", workspaceId)
			.map((row) -> row.get("held", Long.class))
			.one()
			.defaultIfEmpty(0L);
	}

	/** The channel's owner, or empty when it has none. */
	public Mono<String> ownerOf(Channel channel) {
		String name = channel.name();
		String cached = this.cache.get(name);
		if (cached != null) {
			return Mono.just(cached);
		}
		return this.client.sql("SELECT workspace_id FROM channel_owner WHERE channel = :channel")
			.bind("channel", name)
			.map((row) -> row.get("workspace_id", String.class))
			.one()
			.doOnNext((owner) -> remember(name, owner));
	}

	/**
	 * The channels a workspace owns here (repositories, conversations, AI agents), oldest
	 * claim first, at most {@code limit}.
	 */
	public Flux<String> channelsOf(String workspaceId, int limit) {
		return this.client
			.sql("SELECT channel FROM channel_owner WHERE workspace_id = :workspace ORDER BY claimed_at, channel"
					+ " LIMIT :limit")
			.bind("workspace", workspaceId)
			.bind("limit", limit)
			.map((row) -> row.get("channel", String.class))
			.all();
	}

	private void remember(String channel, String owner) {
		if (this.cache.size() >= MAX_CACHED) {
			this.cache.clear();
		}
		this.cache.put(channel, owner);
	}

}
