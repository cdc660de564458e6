package dev.agenthub.agent.events;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import dev.agenthub.agent.owners.ChannelOwnerStore;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.channel.ChannelKind;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The engine as agent-service publishes through it: an AI agent's {@code agent:output},
 * {@code agent:status} and {@code agent:context} published on {@code workspace:{W}} with
 * {@code data.agentId = X} also go to {@code agent:{X}} (seed 004's
 * {@code subscribe:agent} receives them), right after, in the same order.
 * <p>
 * {@code agent:{X}} must belong to {@code W}: a sidecar agent's own id must be one of W's
 * agents, any other id is claimed for W by its first event ({@link ChannelOwnerStore})
 * and refused for every other workspace, so an agent of one workspace cannot write into
 * another's agent channel. Everything else is the engine's behaviour unchanged.
 */
public final class AgentChannelRouting implements Broker {

	private static final Logger logger = LoggerFactory.getLogger(AgentChannelRouting.class);

	/** The events that also go to their agent's channel. */
	public static final Set<String> AGENT_EVENTS = Set.of(EventType.AGENT_OUTPUT.wireName(),
			EventType.AGENT_STATUS_EVENT.wireName(), EventType.AGENT_CONTEXT.wireName());

	private final Broker engine;

	private final AgentStore agents;

	private final ChannelOwnerStore owners;

	private final ThrottledWarning notRouted = new ThrottledWarning(logger, Duration.ofSeconds(10));

	public AgentChannelRouting(Broker engine, AgentStore agents, ChannelOwnerStore owners) {
		this.engine = engine;
		this.agents = agents;
		this.owners = owners;
	}

	@Override
	public Mono<Publication> publish(String channel, String type, JsonNode data) {
		Mono<Publication> published = this.engine.publish(channel, type, data);
		Channel agentChannel = agentChannel(channel, type, data);
		if (agentChannel == null) {
			return published;
		}
		String workspace = channel.substring(ChannelKind.WORKSPACE.prefix().length() + 1);
		return published.flatMap((publication) -> owned(agentChannel, workspace).flatMap((mine) -> {
			if (!mine) {
				logger.warn("Not routing {} of workspace {} to {}: it belongs to another workspace", type, workspace,
						agentChannel.name());
				return Mono.just(publication);
			}
			return this.engine.publish(agentChannel.name(), type, data).thenReturn(publication);
		})
			// The event is on its workspace channel (the producer's acknowledgement);
			// a failed copy to the agent channel is logged, not turned into a failure of
			// that publish, which would make the agent resend it there.
			.onErrorResume((ex) -> {
				// once per interval: a workspace inventing agent ids could send this with
				// every event
				this.notRouted.warn("Could not route {} to {}: {}", type, agentChannel.name(), ex.toString());
				return Mono.just(publication);
			}));
	}

	/** {@code agent:{data.agentId}} for an AI agent's event on a workspace channel. */
	static Channel agentChannel(String channel, String type, JsonNode data) {
		if (!AGENT_EVENTS.contains(type) || !channel.startsWith(ChannelKind.WORKSPACE.prefix() + ":") || data == null
				|| !data.path("agentId").isString()) {
			return null;
		}
		try {
			return Channel.of(ChannelKind.AGENT, data.get("agentId").asString());
		}
		catch (ContractViolation ex) {
			// An id that cannot name a channel: the event stays on its workspace channel.
			return null;
		}
	}

	/**
	 * Whether {@code agent:{id}} is the workspace's: the workspace that first claimed it
	 * with an AI agent's event keeps it; an id nobody claimed is the workspace's of the
	 * sidecar registered with that id, else the claim is made now. The claim is asked
	 * first: an agent of another workspace could otherwise claim the id of a sidecar that
	 * has not registered yet, and the channel would change hands under its subscribers
	 * once that sidecar registered. (The sidecar still registers: its own id on an AI
	 * agent's event then stays on its workspace channel.)
	 */
	private Mono<Boolean> owned(Channel agentChannel, String workspace) {
		return this.owners.ownerOf(agentChannel)
			.switchIfEmpty(Mono.defer(() -> this.agents.workspaceOfAgent(agentChannel.id())))
			.map(workspace::equals)
			.switchIfEmpty(Mono.defer(() -> this.owners.claim(agentChannel, workspace).map(workspace::equals)));
	}

	@Override
	public Mono<StreamPosition> position(String channel) {
		return this.engine.position(channel);
	}

	@Override
	public Mono<History> history(String channel, long since, int limit) {
		return this.engine.history(channel, since, limit);
	}

	@Override
	public Mono<History> existingHistory(String channel, long since, int limit) {
		return this.engine.existingHistory(channel, since, limit);
	}

	@Override
	public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
		return this.engine.subscribe(channel, listener);
	}

}
