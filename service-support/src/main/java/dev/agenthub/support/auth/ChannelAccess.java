package dev.agenthub.support.auth;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import reactor.core.publisher.Mono;

/**
 * Who may read a channel. Admins and services: every channel. Users: {@code broadcast},
 * their own {@code user:} channel, {@code workspace:} channels of the workspaces in their
 * token, and {@code agent:}, {@code task:}, {@code repository:} and {@code conversation:}
 * channels whose owning workspace (as {@link ChannelOwners} knows it) is one of theirs.
 * Agents: their own workspace's channels.
 */
public class ChannelAccess {

	private final ChannelOwners owners;

	public ChannelAccess(ChannelOwners owners) {
		this.owners = owners;
	}

	/**
	 * Whether the principal may read the channel.
	 * @param principal the reader
	 * @param channel the channel
	 * @param clientId the reader's connection id (it may read its own {@code client:}
	 * channel), or {@code null}
	 */
	public Mono<Boolean> mayRead(HubPrincipal principal, Channel channel, String clientId) {
		if (principal.isAdmin() || principal.mayPublish()) {
			return Mono.just(true);
		}
		return switch (channel.kind()) {
			case BROADCAST -> Mono.just(true);
			case USER -> Mono.just(channel.id().equals(principal.subject()));
			case CLIENT -> Mono.just(channel.id().equals(clientId));
			case WORKSPACE -> Mono.just(principal.maySeeWorkspace(channel.id()));
			case AGENT, TASK, REPOSITORY, CONVERSATION ->
				this.owners.workspaceOf(channel).map(principal::maySeeWorkspace).defaultIfEmpty(false);
		};
	}

	/** Whether a channel kind is one whose access depends on an owning workspace. */
	public static boolean ownedByWorkspace(ChannelKind kind) {
		return kind == ChannelKind.AGENT || kind == ChannelKind.TASK || kind == ChannelKind.REPOSITORY
				|| kind == ChannelKind.CONVERSATION;
	}

}
