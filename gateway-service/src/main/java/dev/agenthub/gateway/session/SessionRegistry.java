package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.gateway.config.GatewayProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The node's browser connections, by connection id and by client id. A client id belongs
 * to the user who claimed it ({@link ClientIdClaims}, shared by every gateway): a second
 * connection of the same user with that id on this node replaces the older one (closed
 * with 4009); another user naming it gets a fresh id instead, and never displaces or
 * reaches the holder.
 */
@Component
public class SessionRegistry {

	private static final Logger logger = LoggerFactory.getLogger(SessionRegistry.class);

	/** Longest client id taken from a client; longer ones are replaced by a fresh id. */
	static final int MAX_CLIENT_ID = 128;

	private final Map<String, GatewaySession> byId = new ConcurrentHashMap<>();

	private final Map<String, GatewaySession> byClientId = new ConcurrentHashMap<>();

	private final ClientIdClaims claims;

	private final Duration claimTtl;

	public SessionRegistry(ClientIdClaims claims, GatewayProperties properties) {
		this.claims = claims;
		this.claimTtl = properties.clientIdTtl();
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
			return Mono.just(register(session, fresh(), subject));
		}
		return this.claims.claim(requested, subject, this.claimTtl).onErrorResume((ex) -> {
			// debug: with the engine down every connect would log it (its own errors say
			// so)
			logger.debug("Client id claims unavailable ({}); connection of {} gets a fresh client id", ex.toString(),
					subject);
			return Mono.just(false);
		}).map((mine) -> register(session, mine ? requested : fresh(), subject));
	}

	/**
	 * A new random id. It is claimed the first time its client presents it (on a
	 * reconnect): 122 random bits nobody else knows until then, and no engine write on
	 * every connect.
	 */
	private static String fresh() {
		return UUID.randomUUID().toString();
	}

	private String register(GatewaySession session, String wanted, String subject) {
		String clientId = wanted;
		GatewaySession replaced = null;
		synchronized (this) {
			GatewaySession holder = this.byClientId.get(clientId);
			if (holder != null && !holder.principal().subject().equals(subject)) {
				clientId = UUID.randomUUID().toString();
			}
			else {
				replaced = holder;
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

	/**
	 * Whether a client id a client asks for can be its: one that can name its
	 * {@code client:} channel (letters, digits, {@code - _ . @}), checked before anything
	 * is claimed for it.
	 */
	static boolean usable(@Nullable String requested) {
		return requested != null && requested.length() <= MAX_CLIENT_ID && Channel.isValidId(requested);
	}

	synchronized void remove(GatewaySession session) {
		this.byId.remove(session.id());
		if (session.clientId() != null) {
			this.byClientId.remove(session.clientId(), session);
		}
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
