package dev.agenthub.agent.session;

import dev.agenthub.agent.events.OrderedPublisher;
import dev.agenthub.agent.lease.Lease;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Connection;
import reactor.core.Disposable;

/** One agent connection: its token, its registration, its lease and its publisher. */
public final class AgentSession {

	/** Why a session ended, when the server ended it. */
	public enum End {

		/** A newer agent took the workspace; its state is not touched. */
		REPLACED,
		/** It missed its heartbeats. */
		TIMEOUT,
		/** Anything else (closed by the agent, network, shutdown). */
		OTHER

	}

	private final Connection connection;

	private volatile Disposable registerTimeout;

	private volatile String workspaceId;

	private volatile String agentId;

	private volatile String version;

	private volatile String lifecycle;

	private volatile Lease lease;

	private volatile OrderedPublisher publisher;

	private volatile long lastHeardNanos = System.nanoTime();

	private volatile long leaseRenewedNanos = System.nanoTime();

	private volatile boolean heard;

	private volatile End end = End.OTHER;

	AgentSession(Connection connection) {
		this.connection = connection;
	}

	public String sessionId() {
		return this.connection.id();
	}

	public Connection connection() {
		return this.connection;
	}

	/** The agent's verified token. */
	public HubPrincipal principal() {
		return this.connection.principal();
	}

	/** The timer that closes a session that does not register in time. */
	void registerTimeout(Disposable timeout) {
		this.registerTimeout = timeout;
	}

	void stopRegisterTimeout() {
		Disposable timeout = this.registerTimeout;
		if (timeout != null) {
			timeout.dispose();
		}
	}

	/** The workspace this agent registered for, or {@code null} before registration. */
	public String workspaceId() {
		return this.workspaceId;
	}

	public String agentId() {
		return this.agentId;
	}

	public String version() {
		return this.version;
	}

	/** The lifecycle state the agent last reported, or {@code null}. */
	public String lifecycle() {
		return this.lifecycle;
	}

	void lifecycle(String lifecycle) {
		this.lifecycle = lifecycle;
	}

	/** The session's workspace lease, or {@code null} before it is taken. */
	public Lease lease() {
		return this.lease;
	}

	void lease(Lease lease) {
		this.lease = lease;
		this.leaseRenewedNanos = System.nanoTime();
	}

	/** Replaces a lease that vanished with one taken again (a new fence). */
	public void renewedLease(Lease lease) {
		this.lease = lease;
	}

	public long leaseRenewedNanos() {
		return this.leaseRenewedNanos;
	}

	public void leaseRenewed(long nanos) {
		this.leaseRenewedNanos = nanos;
	}

	public OrderedPublisher publisher() {
		return this.publisher;
	}

	void registered(String workspaceId, String agentId, String version, OrderedPublisher publisher) {
		this.workspaceId = workspaceId;
		this.agentId = agentId;
		this.version = version;
		this.publisher = publisher;
	}

	public boolean isRegistered() {
		return this.workspaceId != null;
	}

	/** Notes that the agent sent a message (liveness is measured on agent messages). */
	void heard() {
		this.lastHeardNanos = System.nanoTime();
		this.heard = true;
	}

	public long lastHeardNanos() {
		return this.lastHeardNanos;
	}

	/**
	 * Whether the agent was heard from since the last call (batched heartbeat writes).
	 */
	public boolean takeHeard() {
		boolean was = this.heard;
		this.heard = false;
		return was;
	}

	public End end() {
		return this.end;
	}

	/** Closes the session for a reason the state should reflect. */
	public void end(End end, dev.agenthub.contracts.error.CloseCode code, String reason) {
		if (!this.connection.isClosed()) {
			this.end = end;
		}
		this.connection.close(code, reason);
	}

}
