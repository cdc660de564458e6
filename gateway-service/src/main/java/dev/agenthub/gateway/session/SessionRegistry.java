package dev.agenthub.gateway.session;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.error.CloseCode;
import org.springframework.stereotype.Component;

/**
 * The node's browser connections, by connection id and by client id. A client id belongs
 * to the user who holds it: a second connection of the same user with that id replaces
 * the older one (closed with 4009); another user naming it gets a fresh id instead, and
 * never displaces or reaches the holder.
 */
@Component
public class SessionRegistry {

	/** Longest client id taken from a client; longer ones are replaced by a fresh id. */
	static final int MAX_CLIENT_ID = 128;

	private final Map<String, GatewaySession> byId = new ConcurrentHashMap<>();

	private final Map<String, GatewaySession> byClientId = new ConcurrentHashMap<>();

	/**
	 * Adds an authenticated session under the client id it asks for, when it may have it.
	 * @param session the session (its principal set)
	 * @param requested the client id the client asks for, or {@code null}
	 * @return the client id the session got
	 */
	String add(GatewaySession session, String requested) {
		String subject = session.principal().subject();
		String clientId = usable(requested) ? requested : UUID.randomUUID().toString();
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

	private static boolean usable(String requested) {
		return requested != null && !requested.isBlank() && requested.length() <= MAX_CLIENT_ID
				&& requested.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
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
