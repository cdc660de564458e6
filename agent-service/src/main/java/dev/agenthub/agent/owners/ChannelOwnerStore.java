package dev.agenthub.agent.owners;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.channel.Channel;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code channel_owner} table. Guarantees: a channel's owner is set once, by the
 * first claim, and never changes (a claim by another workspace is refused, so one
 * workspace cannot take over another's channel); concurrent first claims agree on one
 * winner (the primary key decides). Owners known to this node are cached (bounded; an
 * owner never changes, so a cached answer cannot go stale).
 */
@Repository
public class ChannelOwnerStore {

	/** Bound of the cache; past it the cache starts over. */
	static final int MAX_CACHED = 10_000;

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
	 * already owned it, another workspace when that one was first
	 */
	public Mono<String> claim(Channel channel, String workspaceId) {
		String name = channel.name();
		String cached = this.cache.get(name);
		if (cached != null) {
			return Mono.just(cached);
		}
		return this.client
			.sql("INSERT INTO channel_owner (channel, workspace_id, claimed_at) VALUES (:channel, :workspace, :at)"
					+ " ON CONFLICT DO NOTHING")
			.bind("channel", name)
			.bind("workspace", workspaceId)
			.bind("at", OffsetDateTime.now(ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.then(ownerOf(channel))
			.defaultIfEmpty(workspaceId);
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
