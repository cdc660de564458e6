package dev.agenthub.gateway.subscription;

import java.util.List;
import java.util.function.Function;

import dev.agenthub.contracts.auth.Claims;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.recovery.Recovery;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.ChannelAccess;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Subscribing and unsubscribing connections: authorization, the per-connection limit,
 * joining the node's fan-out, and the opening (reply plus recovered events) sent before
 * any live event of the channel.
 */
@Component
public class SubscriptionService {

	private final ChannelHub hub;

	private final ChannelAccess access;

	private final Recovery recovery;

	private final ResyncNotifier resync;

	private final GatewayProperties properties;

	public SubscriptionService(ChannelHub hub, ChannelAccess access, Recovery recovery, ResyncNotifier resync,
			GatewayProperties properties) {
		this.hub = hub;
		this.access = access;
		this.recovery = recovery;
		this.resync = resync;
		this.properties = properties;
	}

	/** Puts an authenticated connection on its implicit channels (no reply). */
	public Mono<Void> joinImplicit(GatewaySession session) {
		return joinImplicit(session, java.util.Map.of());
	}

	/**
	 * Puts an authenticated connection on its implicit channels, replaying what it missed
	 * on those with a resume point (a recovered Socket.IO socket).
	 * @param session the connection
	 * @param resume positions to resume from, by channel name
	 */
	public Mono<Void> joinImplicit(GatewaySession session, java.util.Map<String, ResumePoint> resume) {
		String[] channels = { Channel.user(session.principal().subject()).name(),
				Channel.client(session.clientId()).name(), Channel.BROADCAST.name() };
		return Mono.when(java.util.Arrays.stream(channels).map((channel) -> {
			SubscriptionState state = new SubscriptionState(channel, true, this.properties.pendingBufferEvents());
			session.subscriptions().put(channel, state);
			ResumePoint point = resume.get(channel);
			Function<Recovery.Outcome, Mono<Void>> replay = (outcome) -> session.replay(outcome.events())
				.then(Mono.fromRunnable(() -> activate(session, state, outcome)));
			// a replay from the log holds the node's budget until it is sent
			Mono<Void> opening = (point != null) ? this.recovery.recover(channel, point.epoch(), point.offset(), replay)
					: this.recovery.position(channel).flatMap(replay);
			return this.hub.join(channel, session, state).then(opening);
		}).toList());
	}

	/**
	 * Subscribes a connection to the workspace channels its token lets it watch (a
	 * server-side subscription, as seed 000's browsers expect; each answered with a
	 * {@code subscribed} notice carrying its position). Tokens for every workspace
	 * ({@code *}) get none: they subscribe to what they watch. A workspace the token does
	 * not allow is refused like an explicit subscription (nothing joined): the one a
	 * client asked to watch with an {@code error} reply. Workspaces it is on already are
	 * left as they are (a recovered socket, a token refreshed in band).
	 * @param session the connection
	 * @param only the one workspace to watch, or {@code null} for all of the token's
	 */
	public Mono<Void> joinWorkspaces(GatewaySession session, String only) {
		java.util.Collection<String> workspaces = (only != null) ? List.of(only) : session.principal().workspaces();
		return Flux.fromIterable(new java.util.TreeSet<>(workspaces))
			.filter((workspace) -> !Claims.ALL_WORKSPACES.equals(workspace))
			// on it already (recovered, or a token refreshed with workspaces it had)
			.filter((workspace) -> !Channel.isValidId(workspace)
					|| !session.subscriptions().containsKey(Channel.workspace(workspace).name()))
			.take(this.properties.maxSubscriptions())
			.concatMap(
					(workspace) -> Mono.defer(() -> subscribe(session, Channel.workspace(workspace).name(), null, null))
						.onErrorResume((ex) -> {
							// the one workspace a client asked to watch: told why (its
							// token's own list is not the client's doing)
							if (only != null && ex instanceof ContractViolation violation) {
								session.send(ServerMessage.error(violation.code(),
										"cannot watch workspace " + only + ": " + violation.getMessage(), null));
							}
							return Mono.empty();
						}))
			.then();
	}

	/**
	 * Where a connection stood on a channel: the epoch and the offset of the last event
	 * it got.
	 */
	public record ResumePoint(String epoch, long offset) {

	}

	/**
	 * Subscribes a connection.
	 * @param session the connection
	 * @param channelName the channel
	 * @param since the position to recover from ({@code {epoch, offset}}), or
	 * {@code null}
	 * @param id the request's id, echoed in the reply
	 */
	public Mono<Void> subscribe(GatewaySession session, String channelName, JsonNode since, JsonNode id) {
		Channel channel = Channel.parse(channelName);
		String name = channel.name();
		SubscriptionState existing = session.subscriptions().get(name);
		if (existing != null && since == null) {
			session.send(ServerMessage.of(MessageTypes.SUBSCRIBED, id,
					ResyncNotifier.subscribed(name, existing.epoch(), existing.lastOffset(), null)));
			return Mono.empty();
		}
		long explicit = session.subscriptions().values().stream().filter((s) -> !s.implicit()).count();
		if (existing == null && explicit >= this.properties.maxSubscriptions()) {
			throw new ContractViolation(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
					"at most " + this.properties.maxSubscriptions() + " subscriptions per connection");
		}
		String sinceEpoch = (since != null) ? requireEpoch(since) : null;
		long sinceOffset = (since != null) ? requireOffset(since) : 0;
		return this.access.mayRead(session.principal(), channel, session.clientId()).flatMap((allowed) -> {
			if (!allowed) {
				return Mono.error(new ContractViolation(ErrorCode.FORBIDDEN, "not allowed to subscribe to " + name));
			}
			if (existing != null) {
				leave(session, name);
			}
			SubscriptionState state = new SubscriptionState(name, false, this.properties.pendingBufferEvents());
			session.subscriptions().put(name, state);
			Function<Recovery.Outcome, Mono<Void>> replay = (outcome) -> {
				session.send(ServerMessage.of(MessageTypes.SUBSCRIBED, id, ResyncNotifier.subscribed(name,
						outcome.position().epoch(), outcome.offset(), outcome.recovered())));
				// The replay goes as fast as the client reads, within the outbound bound;
				// live events wait in the subscription until it is queued.
				return session.replay(outcome.events())
					.then(Mono.fromRunnable(() -> activate(session, state, outcome)));
			};
			// a replay from the log holds the node's budget until it is sent
			Mono<Void> opening = (sinceEpoch != null) ? this.recovery.recover(name, sinceEpoch, sinceOffset, replay)
					: this.recovery.position(name).flatMap(replay);
			return this.hub.join(name, session, state)
				.then(opening)
				.doOnError((ex) -> session.subscriptions().remove(name, state))
				.then();
		});
	}

	private void activate(GatewaySession session, SubscriptionState state, Recovery.Outcome outcome) {
		if (session.isClosed()) {
			// Closed while it opened: its replay may have stopped short, so the
			// subscription takes no position (a Socket.IO socket then keeps no resume
			// record, rather than one past events it never sent).
			return;
		}
		if (!state.activate(session, outcome.position().epoch(), outcome.offset())) {
			// Live events were lost while the subscription opened: start again from now.
			String name = state.channel();
			this.recovery.position(name).subscribe((now) -> {
				state.reset(now.position().epoch(), now.offset());
				this.resync.notify(session, name, now.position().epoch(), now.offset());
			}, (ex) -> session.close(CloseCode.INTERNAL_ERROR, "could not resynchronise " + name));
		}
	}

	/** Takes a connection off a channel; {@code false} when it was not on it. */
	public boolean unsubscribe(GatewaySession session, String channelName) {
		String name = Channel.parse(channelName).name();
		SubscriptionState state = session.subscriptions().get(name);
		if (state == null || state.implicit()) {
			return false;
		}
		leave(session, name);
		return true;
	}

	/**
	 * Takes a connection whose token was refreshed off the channels the new token does
	 * not allow (each told with {@code unsubscribed}, reason {@code forbidden}).
	 */
	public Mono<Void> revalidate(GatewaySession session) {
		return Flux.fromIterable(List.copyOf(session.subscriptions().values()))
			.filter((state) -> !state.implicit())
			.concatMap((state) -> this.access
				.mayRead(session.principal(), Channel.parse(state.channel()), session.clientId())
				.filter((allowed) -> !allowed)
				.doOnNext((denied) -> {
					leave(session, state.channel());
					tellUnsubscribed(session, state.channel(), ErrorCode.FORBIDDEN);
				}))
			.then();
	}

	/** Tells a connection it is no longer on a channel, and why. */
	public static void tellUnsubscribed(GatewaySession session, String channel, ErrorCode reason) {
		ObjectNode data = HubJson.object();
		data.put("channel", channel);
		data.put("reason", reason.code());
		session.send(ServerMessage.of(MessageTypes.UNSUBSCRIBED, null, data));
	}

	/** Takes a closed connection off every channel. */
	public void leaveAll(GatewaySession session) {
		for (String channel : session.subscriptions().keySet()) {
			leave(session, channel);
		}
	}

	private void leave(GatewaySession session, String channel) {
		session.subscriptions().remove(channel);
		this.hub.leave(channel, session);
	}

	private static String requireEpoch(JsonNode since) {
		JsonNode epoch = since.get("epoch");
		if (epoch == null || !epoch.isString() || epoch.asString().isEmpty()) {
			throw ContractViolation.badRequest("since.epoch is required (a string)");
		}
		return epoch.asString();
	}

	private static long requireOffset(JsonNode since) {
		JsonNode offset = since.get("offset");
		if (offset == null || !offset.canConvertToLong() || offset.asLong() < 0) {
			throw ContractViolation.badRequest("since.offset is required (a non-negative integer)");
		}
		return offset.asLong();
	}

}
