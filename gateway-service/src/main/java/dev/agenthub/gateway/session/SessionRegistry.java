package dev.agenthub.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.gateway.config.GatewayProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The node's browser connections, by connection id and by client id. A client id belongs
 * to the user who claimed it ({@link ClientIdClaims}, shared by every gateway): a second
 * connection of the same user with that id on this node replaces the older one (closed
 * with 4009); another user naming it gets a fresh id instead, and never displaces or
 * reaches the holder.
 * <p>
 * A claim lasts {@code hub.gateway.client-id-ttl} after its last use, and a connection
 * uses its id for as long as it lives (a token refreshed in band keeps it open for days):
 * the claims of this node's connections are renewed every quarter of the TTL, and once
 * more when a connection closes, so the TTL counts from then. Without that, the claim of
 * a connection older than the TTL lapsed while it lived, and another user could claim its
 * id on another gateway and get its {@code client:} channel.
 */
@Component
public class SessionRegistry implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SessionRegistry.class);

	/** Longest client id taken from a client; longer ones are replaced by a fresh id. */
	static final int MAX_CLIENT_ID = 128;

	/**
	 * Most renewals in flight at once: a node's thousands of connections are renewed a
	 * few at a time, not with one burst of commands.
	 */
	private static final int RENEWING_AT_ONCE = 16;

	/** Most slices the connections are renewed in, one slice a tick. */
	private static final int MAX_SLICES = 64;

	private final Map<String, GatewaySession> byId = new ConcurrentHashMap<>();

	private final Map<String, GatewaySession> byClientId = new ConcurrentHashMap<>();

	/** The connections whose client id is claimed for their user (not fresh ids). */
	private final Set<GatewaySession> claimed = ConcurrentHashMap.newKeySet();

	private final ClientIdClaims claims;

	private final Duration claimTtl;

	/** Connections are renewed in this many slices, one a tick, all once a TTL/4. */
	private final int slices;

	private final Duration tick;

	private volatile @Nullable Disposable renewals;

	public SessionRegistry(ClientIdClaims claims, GatewayProperties properties) {
		this.claims = claims;
		this.claimTtl = properties.clientIdTtl();
		long every = Math.max(4, this.claimTtl.toMillis() / 4);
		this.slices = (int) Math.min(Math.max(every / 1000, 1), MAX_SLICES);
		this.tick = Duration.ofMillis(every / this.slices);
	}

	/**
	 * Adds an authenticated session under the client id it asks for, when it may have it:
	 * when no other user holds the id (on any gateway, connected or not: see
	 * {@link ClientIdClaims}). Otherwise, or when the claims cannot be asked, the session
	 * gets a fresh id.
	 * @param session the session (its principal set)
	 * @param requested the client id the client asks for, or {@code null}
	 * @return the client id the session got
	 */
	Mono<String> add(GatewaySession session, @Nullable String requested) {
		String subject = session.principal().subject();
		if (!usable(requested)) {
			return Mono.just(register(session, fresh(), subject, false, null));
		}
		return this.claims.hold(requested, subject, this.claimTtl)
			.map((since) -> register(session, requested, subject, true, since))
			.switchIfEmpty(Mono.fromSupplier(() -> register(session, fresh(), subject, false, null)))
			.onErrorResume((ex) -> {
				// debug: with the engine down every connect would log it (its own errors
				// say so)
				logger.debug("Client id claims unavailable ({}); connection of {} gets a fresh client id",
						ex.toString(), subject);
				return Mono.fromSupplier(() -> register(session, fresh(), subject, false, null));
			});
	}

	/**
	 * A new random id. It is claimed the first time its client presents it (on a
	 * reconnect): 122 random bits nobody else knows until then, and no engine write on
	 * every connect.
	 */
	private static String fresh() {
		return UUID.randomUUID().toString();
	}

	private String register(GatewaySession session, String wanted, String subject, boolean held,
			@Nullable Instant since) {
		String clientId = wanted;
		GatewaySession replaced = null;
		synchronized (this) {
			GatewaySession holder = this.byClientId.get(clientId);
			if (holder != null && !holder.principal().subject().equals(subject)) {
				clientId = UUID.randomUUID().toString();
			}
			else {
				replaced = holder;
				if (held) {
					this.claimed.add(session);
					// an id nobody could guess (the hub's fresh ids are UUIDs, claimed
					// when first presented) has no former holder to keep out
					session.clientSince(isUuid(clientId) ? null : since);
				}
			}
			session.connection().clientId(clientId);
			this.byClientId.put(clientId, session);
			this.byId.put(session.id(), session);
		}
		if (replaced != null && replaced != session) {
			replaced.close(CloseCode.REPLACED, "replaced by a newer connection with the same client id");
		}
		return clientId;
	}

	/** Whether a client id has a UUID's form (as the fresh ids the hub hands out). */
	static boolean isUuid(String clientId) {
		if (clientId.length() != 36) {
			return false;
		}
		try {
			return UUID.fromString(clientId).toString().equalsIgnoreCase(clientId);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether a client id a client asks for can be its: one that can name its
	 * {@code client:} channel (letters, digits, {@code - _ . @}), checked before anything
	 * is claimed for it.
	 */
	static boolean usable(@Nullable String requested) {
		return requested != null && requested.length() <= MAX_CLIENT_ID && Channel.isValidId(requested);
	}

	void remove(GatewaySession session) {
		synchronized (this) {
			this.byId.remove(session.id());
			if (session.clientId() != null) {
				this.byClientId.remove(session.clientId(), session);
			}
		}
		if (this.claimed.remove(session)) {
			// its last use: the claim lasts a TTL from now
			renew(session).subscribe();
		}
	}

	/** Renews the claim of a connection's client id (its user's, which it holds). */
	private Mono<Boolean> renew(GatewaySession session) {
		String subject = session.principal().subject();
		String clientId = session.clientId();
		return this.claims.claim(clientId, subject, this.claimTtl).doOnNext((mine) -> {
			if (!mine) {
				logger.info("Claim of client id {} of {} lapsed and could not be renewed", clientId, subject);
			}
		}).onErrorResume((ex) -> {
			logger.debug("Claim of client id {} not renewed: {}", clientId, ex.toString());
			return Mono.empty();
		});
	}

	/**
	 * Renews the claims of one slice of the connections (by connection id), a few at a
	 * time: each is renewed once every TTL/4, the node's connections spread over that.
	 */
	private void renewSlice(long tick) {
		int slice = (int) (tick % this.slices);
		Flux.fromIterable(this.claimed)
			.filter((session) -> Math.floorMod(session.id().hashCode(), this.slices) == slice)
			.flatMap(this::renew, RENEWING_AT_ONCE)
			.subscribe();
	}

	@Override
	public void start() {
		this.renewals = Flux.interval(this.tick, this.tick).onBackpressureDrop().subscribe(this::renewSlice);
	}

	@Override
	public void stop() {
		Disposable timer = this.renewals;
		if (timer != null) {
			timer.dispose();
		}
		this.renewals = null;
	}

	@Override
	public boolean isRunning() {
		return this.renewals != null;
	}

	/** Every open connection. */
	public Collection<GatewaySession> sessions() {
		return this.byId.values();
	}

	/** Number of connections. */
	public int size() {
		return this.byId.size();
	}

	/**
	 * Number of explicit subscriptions of all connections (implicit ones not counted).
	 */
	public long subscriptions() {
		long count = 0;
		for (GatewaySession session : this.byId.values()) {
			for (var state : session.subscriptions().values()) {
				if (!state.implicit()) {
					count++;
				}
			}
		}
		return count;
	}

	/** Number of authenticated connections. */
	public long authenticated() {
		return this.byId.size();
	}

}
