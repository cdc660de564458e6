package dev.agenthub.gateway.session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.error.CloseCode;
import org.springframework.stereotype.Component;

/**
 * The node's connections, by connection id and by client id. A second connection with a
 * client id in use replaces the older one (closed with 4009).
 */
@Component
public class SessionRegistry {

	private final Map<String, GatewaySession> byId = new ConcurrentHashMap<>();

	private final Map<String, GatewaySession> byClientId = new ConcurrentHashMap<>();

	void add(GatewaySession session) {
		this.byId.put(session.id(), session);
	}

	/** Claims a client id for a session, closing an older holder. */
	void claimClientId(GatewaySession session, String clientId) {
		session.clientId(clientId);
		GatewaySession previous = this.byClientId.put(clientId, session);
		if (previous != null && previous != session) {
			previous.close(CloseCode.REPLACED, "replaced by a newer connection with the same client id");
		}
	}

	void remove(GatewaySession session) {
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
		return this.byId.values().stream().filter((session) -> session.principal() != null).count();
	}

}
