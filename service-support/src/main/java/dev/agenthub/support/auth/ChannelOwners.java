package dev.agenthub.support.auth;

import dev.agenthub.contracts.channel.Channel;
import reactor.core.publisher.Mono;

/**
 * Knows which workspace owns an {@code agent:}, {@code task:}, {@code repository:} or
 * {@code conversation:} channel.
 */
@FunctionalInterface
public interface ChannelOwners {

	/** Knows no owners: only admins and services read such channels. */
	ChannelOwners NONE = (channel) -> Mono.empty();

	/** The owning workspace's id, or empty when unknown. */
	Mono<String> workspaceOf(Channel channel);

}
