package dev.agenthub.agent.session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.agenthub.contracts.error.CloseCode;
import org.springframework.stereotype.Component;

/**
 * The agents connected to this node, one per workspace: a newer one replaces the older
 * (4009).
 */
@Component
public class AgentRegistry {

	private final Map<String, AgentSession> byWorkspace = new ConcurrentHashMap<>();

	private final Map<String, AgentSession> connections = new ConcurrentHashMap<>();

	private final java.util.concurrent.atomic.AtomicInteger ending = new java.util.concurrent.atomic.AtomicInteger();

	void connected(AgentSession session) {
		this.connections.put(session.sessionId(), session);
	}

	/** Makes a session its workspace's agent on this node, replacing an older one. */
	void register(AgentSession session) {
		AgentSession previous = this.byWorkspace.put(session.workspaceId(), session);
		if (previous != null && previous != session) {
			previous.end(AgentSession.End.REPLACED, CloseCode.REPLACED,
					"replaced by a newer agent for workspace " + session.workspaceId());
		}
	}

	/**
	 * Forgets a closed session; {@code true} when it was its workspace's current agent.
	 */
	boolean remove(AgentSession session) {
		this.connections.remove(session.sessionId());
		return session.workspaceId() != null && this.byWorkspace.remove(session.workspaceId(), session);
	}

	/** The agent serving a workspace on this node, or {@code null}. */
	public AgentSession forWorkspace(String workspaceId) {
		return this.byWorkspace.get(workspaceId);
	}

	void ending(int delta) {
		this.ending.addAndGet(delta);
	}

	/** Whether no session is open and none is still being wound up. */
	public boolean idle() {
		return this.connections.isEmpty() && this.ending.get() == 0;
	}

	/** A connection of this node by session id, or {@code null}. */
	public AgentSession session(String sessionId) {
		return this.connections.get(sessionId);
	}

	/** Every agent connection of this node. */
	public Collection<AgentSession> sessions() {
		return this.connections.values();
	}

}
