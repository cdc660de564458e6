package dev.agenthub.gateway.presence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.auth.Role;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.UserPresence;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.auth.HubPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps people's presence: a connection of a user (or admin) is {@code online} once
 * authenticated, takes the statuses its client sends, and leaves when it closes. When a
 * user's aggregate status changes, {@code user_presence {userId, status}} is published on
 * {@code broadcast} through the engine, so every gateway's clients see it; users of a
 * dead gateway are announced offline by a sweep on the heartbeat timer. A connection's
 * changes are applied one after another, in the order they happened.
 */
@Component
public class PresenceService implements GatewaySession.SessionListener {

	private static final Logger logger = LoggerFactory.getLogger(PresenceService.class);

	private static final String ONLINE = "online";

	private final PresenceStore store;

	private final Broker broker;

	private final Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();

	public PresenceService(PresenceStore store, Broker broker) {
		this.store = store;
		this.broker = broker;
	}

	/** Whether a connection counts for presence (people, not agents or services). */
	static boolean tracked(HubPrincipal principal) {
		return principal != null && (principal.has(Role.USER) || principal.isAdmin());
	}

	@Override
	public void authenticated(GatewaySession session) {
		if (tracked(session.principal())) {
			enqueue(session, () -> session.isClosed() ? Mono.empty()
					: this.store.set(session.principal().subject(), session.id(), ONLINE))
				.subscribe();
		}
	}

	@Override
	public void closed(GatewaySession session) {
		if (tracked(session.principal())) {
			Mono<Void> last = enqueue(session, () -> this.store.remove(session.principal().subject(), session.id()));
			last.doFinally((signal) -> this.tails.remove(session.id(), last)).subscribe();
		}
	}

	@Override
	public void heartbeat() {
		// Users of a gateway that died go offline here; the store lets one node per TTL
		// find them, so each is announced once.
		this.store.refresh()
			.then(this.store.sweep())
			.flatMapIterable((changes) -> changes)
			.concatMap(this::publishIfChanged)
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
		return enqueue(session, () -> this.store.set(session.principal().subject(), session.id(), status));
	}

	/** Users online now, with their status. */
	public Mono<Map<String, String>> online() {
		return this.store.online();
	}

	private Mono<Void> enqueue(GatewaySession session, Supplier<Mono<PresenceStore.Change>> step) {
		synchronized (this.tails) {
			Mono<Void> previous = this.tails.getOrDefault(session.id(), Mono.empty());
			Mono<Void> next = previous.onErrorComplete()
				.then(Mono.defer(step))
				.flatMap(this::publishIfChanged)
				.doOnError((ex) -> logger.warn("Presence of {} not updated: {}", session.principal().subject(),
						ex.toString()))
				.cache();
			this.tails.put(session.id(), next);
			return next;
		}
	}

	private Mono<Void> publishIfChanged(PresenceStore.Change change) {
		if (!change.changed()) {
			return Mono.empty();
		}
		return this.broker
			.publish(Channel.BROADCAST.name(), EventType.USER_PRESENCE.wireName(),
					HubJson.tree(new UserPresence(change.userId(), change.after())))
			.then();
	}

}
