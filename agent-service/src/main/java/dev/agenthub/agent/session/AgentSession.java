package dev.agenthub.agent.session;

import java.util.UUID;

import dev.agenthub.agent.events.OrderedPublisher;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.socket.SocketConnection;

/** One agent connection: its token, its registration and its event publisher. */
public final class AgentSession {

	private final String sessionId = UUID.randomUUID().toString();

	private final SocketConnection connection;

	private volatile HubPrincipal principal;

	private volatile String workspaceId;

	private volatile String version;

	private volatile OrderedPublisher publisher;

	AgentSession(SocketConnection connection) {
		this.connection = connection;
	}

	public String sessionId() {
		return this.sessionId;
	}

	public SocketConnection connection() {
		return this.connection;
	}

	public HubPrincipal principal() {
		return this.principal;
	}

	void principal(HubPrincipal principal) {
		this.principal = principal;
	}

	/** The workspace this agent registered for, or {@code null} before registration. */
	public String workspaceId() {
		return this.workspaceId;
	}

	public String version() {
		return this.version;
	}

	OrderedPublisher publisher() {
		return this.publisher;
	}

	void registered(String workspaceId, String version, OrderedPublisher publisher) {
		this.workspaceId = workspaceId;
		this.version = version;
		this.publisher = publisher;
	}

	public boolean isRegistered() {
		return this.workspaceId != null;
	}

}
