package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.agenthub.broker.Bounded;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.UserPresence;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.config.GatewayProperties.PresenceAudience;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * Keeps people's presence: a connection of a user (or admin) is {@code online} once
 * authenticated, takes the statuses its client sends, and leaves when it closes. When a
 * user's aggregate status changes, {@code user_presence {userId, status}} is published
 * through the engine, so every gateway's clients see it: on {@code broadcast}, or with
 * {@code hub.gateway.presence-audience=workspaces} on the channels of the user's
 * workspaces (the store keeps each user's audience, so a removal or a sweep reaches the
 * same people). Users of a dead gateway are announced offline by a sweep on the heartbeat
 * timer. A connection's changes are applied one after another, in the order they
 * happened; what is announced is coalesced per user ({@link PresenceCoalescer}: at most
 * one change a second, none for a reconnect within the grace period).
 */
@Component
public class PresenceService implements GatewaySession.SessionListener, SmartLifecycle {

	/**
	 * Announcements in flight at most (each an audience read and a publish per channel).
	 */
	private static final int MAX_ANNOUNCING = 32;

	/** Longest wait at shutdown for the departures of the drained connections. */
	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(PresenceService.class);

	/** One line per interval however many connections a dead engine fails. */
	private final ThrottledWarning notUpdated = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private static final String ONLINE = "online";

	private final PresenceStore store;

	private final Broker broker;

	/**
	 * Each connection's presence steps not yet done, run one after another; a connection
	 * with none has no entry (a chain of done steps per connection grew with every status
	 * change it sent, for its whole life).
	 */
	private final Map<String, Steps> pending = new ConcurrentHashMap<>();

	private final PresenceAudience audience;

	private final PresenceCoalescer coalescer;

	private final Bounded announcing = new Bounded(MAX_ANNOUNCING);

	private volatile boolean running;

	/** Shut down: announcements are dropped (the engine is closing). */
	private volatile boolean stopped;

	private final int maxAudience;

	public PresenceService(PresenceStore store, Broker broker, GatewayProperties properties) {
		this.store = store;
		this.broker = broker;
		this.audience = properties.presenceAudience();
		this.maxAudience = properties.presenceMaxAudience();
		this.coalescer = new PresenceCoalescer(properties.presenceInterval(), properties.presenceGrace(),
				(change) -> this.announcing.run(Mono.defer(() -> this.stopped ? Mono.empty() : publish(change))),
				store::status);
	}

	@Override
	public void start() {
		this.stopped = false;
		this.running = true;
	}

	/**
	 * At shutdown, after the gateway drained its connections ({@code Heartbeats}) and
	 * before the engine closes: waits for their departures to be written and announces
	 * what the coalescer still held.
	 */
	@Override
	public void stop() {
		List<Mono<Void>> departures = new ArrayList<>();
		synchronized (this.pending) {
			this.pending.values().forEach((steps) -> departures.add(steps.last.asMono().onErrorComplete()));
		}
		try {
			Mono.when(departures).then(Mono.defer(this.coalescer::flushNow)).block(SETTLE_TIMEOUT);
		}
		catch (RuntimeException ex) {
			// what is still queued is dropped, said once here (announced after the
			// engine closed, each would fail with a warning of its own)
			logger.warn("Presence not settled within {} of shutting down ({}); {} announcements dropped",
					SETTLE_TIMEOUT, ex.toString(), this.announcing.waiting());
		}
		this.stopped = true;
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// just below the gateway's drain (Heartbeats, DEFAULT_PHASE): stops after it
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

	/** Whether a connection counts for presence (people, not agents or services). */
	static boolean tracked(HubPrincipal principal) {
		return principal != null && (principal.has(Role.USER) || principal.isAdmin());
	}

	@Override
	public void authenticated(GatewaySession session) {
		if (tracked(session.principal())) {
			enqueue(session,
					() -> session.isClosed() ? Mono.empty() : this.store.set(session.principal().subject(),
							session.id(), ONLINE, audience(session.principal())))
				.subscribe(null, PresenceService::loggedInEnqueue);
		}
	}

	@Override
	public void closed(GatewaySession session) {
		if (tracked(session.principal())) {
			enqueue(session, () -> this.store.remove(session.principal().subject(), session.id())).subscribe(null,
					PresenceService::loggedInEnqueue);
		}
	}

	@Override
	public void heartbeat() {
		// Users of a gateway that died go offline here; the store lets one node per TTL
		// find them, so each is announced once.
		this.store.refresh()
			.then(this.store.sweep())
			.flatMapIterable((changes) -> changes)
			.doOnNext(this.coalescer::offer)
			.subscribe(null, (ex) -> logger.warn("Presence refresh failed: {}", ex.toString()));
	}

	/**
	 * Sets the status a client announced for its connection.
	 * @param session the connection
	 * @param status one of {@link UserPresence#STATES}
	 */
	public Mono<Void> announce(GatewaySession session, String status) {
		if (!tracked(session.principal())) {
			return Mono.empty();
		}
		session.presence(status);
		return enqueue(session, () -> this.store.set(session.principal().subject(), session.id(), status,
				audience(session.principal())));
	}

	/**
	 * A token refreshed in band may name other workspaces: the connection's status is set
	 * again with the audience of the new token, so its user's next changes — going
	 * offline included — reach the people of its workspaces now.
	 */
	@Override
	public void refreshed(GatewaySession session) {
		if (tracked(session.principal())) {
			enqueue(session, () -> session.isClosed() ? Mono.empty()
					: this.store.set(session.principal().subject(), session.id(),
							Objects.requireNonNullElse(session.presence(), ONLINE), audience(session.principal())))
				.subscribe(null, PresenceService::loggedInEnqueue);
		}
	}

	/** Users online now, with their status. */
	public Mono<Map<String, String>> online() {
		return this.store.online();
	}

	/**
	 * A failed step was logged where it failed ({@link #enqueue}); nothing more to do.
	 */
	private static void loggedInEnqueue(Throwable ex) {
	}

	/**
	 * Runs a connection's presence step after the ones it enqueued before.
	 * @return completes when the step ran (with its error, logged here, if it failed)
	 */
	private Mono<Void> enqueue(GatewaySession session, Supplier<Mono<PresenceStore.Change>> work) {
		Step step = new Step(work, Sinks.empty());
		Steps steps;
		boolean start;
		synchronized (this.pending) {
			steps = this.pending.computeIfAbsent(session.id(), (id) -> new Steps());
			steps.queue.add(step);
			steps.last = step.done;
			start = !steps.running;
			steps.running = true;
		}
		if (start) {
			runNext(session, steps);
		}
		return step.done.asMono();
	}

	private void runNext(GatewaySession session, Steps steps) {
		Step step;
		synchronized (this.pending) {
			step = steps.queue.poll();
			if (step == null) {
				steps.running = false;
				this.pending.remove(session.id(), steps);
				return;
			}
		}
		Mono.defer(step.work).doOnNext(this.coalescer::offer).then().subscribe(null, (ex) -> {
			this.notUpdated.warn("Presence of {} not updated: {}", session.principal().subject(), ex.toString());
			step.done.tryEmitError(ex);
			runNext(session, steps);
		}, () -> {
			step.done.tryEmitEmpty();
			runNext(session, steps);
		});
	}

	/** Connections with presence steps not yet done (for tests). */
	int pendingConnections() {
		return this.pending.size();
	}

	/** A presence step and what signals it done. */
	private record Step(Supplier<Mono<PresenceStore.Change>> work, Sinks.Empty<Void> done) {

	}

	/** One connection's steps; guarded by {@code pending}. */
	private static final class Steps {

		private final java.util.ArrayDeque<Step> queue = new java.util.ArrayDeque<>(2);

		private Sinks.Empty<Void> last;

		private boolean running;

	}

	/**
	 * The channels that hear of a user's changes, comma-separated: {@code broadcast} (for
	 * admins and users of {@code *} always), or the user's workspaces' channels.
	 */
	String audience(HubPrincipal principal) {
		// the people of every workspace share each one: everyone hears of them, as
		// everyone lists them (PresenceVisibility)
		if (this.audience == PresenceAudience.EVERYONE || PresenceVisibility.sharesEveryWorkspace(principal)) {
			return Channel.BROADCAST.name();
		}
		List<String> channels = new ArrayList<>();
		for (String workspace : new TreeSet<>(principal.workspaces())) {
			try {
				channels.add(Channel.workspace(workspace).name());
			}
			catch (ContractViolation ex) {
				// a workspace id no channel can carry: nobody subscribes to it either
			}
		}
		return channels.isEmpty() ? Channel.user(principal.subject()).name() : String.join(",", channels);
	}

	/**
	 * Announces a change on the user's audience channels, but for workspaces with more
	 * than {@code presence-max-audience} people online ({@code broadcast}, the opt-in
	 * audience of everyone, is always announced).
	 */
	private Mono<Void> publish(PresenceStore.Change change) {
		JsonNode data = HubJson.tree(new UserPresence(change.userId(), change.after()));
		String heard = change.audience().isEmpty() ? Channel.BROADCAST.name() : change.audience();
		List<String> channels = List.of(heard.split(","));
		Mono<Map<String, Long>> sizes = (this.maxAudience > 0) ? this.store.audienceSizes(channels)
				: Mono.just(Map.of());
		return sizes
			.flatMapMany((size) -> Flux.fromIterable(channels)
				.filter((channel) -> Channel.BROADCAST.name().equals(channel)
						|| size.getOrDefault(channel, 0L) <= this.maxAudience))
			.concatMap((channel) -> this.broker.publish(channel, EventType.USER_PRESENCE.wireName(), data))
			.then();
	}

}
