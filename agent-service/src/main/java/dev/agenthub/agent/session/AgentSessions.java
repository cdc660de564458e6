package dev.agenthub.agent.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import dev.agenthub.agent.config.AgentProperties;
import dev.agenthub.agent.integration.WorkspaceOffboarding;
import dev.agenthub.agent.events.OrderedPublisher;
import dev.agenthub.agent.events.PendingBytes;
import dev.agenthub.agent.lease.Lease;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.NodeBus;
import dev.agenthub.agent.routing.NodeMessage;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.agent.task.LostTasks;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.WorkspaceState;
import dev.agenthub.contracts.message.ClientMessage;
import dev.agenthub.contracts.message.MessageTypes;
import dev.agenthub.contracts.message.ServerMessage;
import dev.agenthub.support.auth.HubPrincipal;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.logging.ThrottledWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What registration, lifecycle reports and the end of a session do: take and drop the
 * workspace's lease (replacing an older session on whichever node it lives), record the
 * agent's state, and publish {@code workspace:state}.
 */
@Component
public class AgentSessions {

	/** The lifecycle states an agent may report. */
	public static final Set<String> LIFECYCLE_STATES = Set.of("created", "starting", "ready", "start_error",
			"shutting_down", "off");

	/** The longest version an agent may report (the width of {@code agent.version}). */
	static final int MAX_VERSION = 64;

	/** The most task ids of a {@code register}'s {@code tasks} that are read. */
	static final int MAX_LISTED_TASKS = 4096;

	private static final Logger logger = LoggerFactory.getLogger(AgentSessions.class);

	// Failures that come in crowds when Redis or the database is gone (every agent of
	// the node reconnecting, every event of every agent): a few lines each, with how
	// many more were left out, not one per agent or event.

	private final ThrottledWarning notChecked = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private final ThrottledWarning notRegistered = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private final ThrottledWarning notPublished = new ThrottledWarning(logger, Duration.ofSeconds(10));

	private final Broker broker;

	private final WorkspaceOffboarding offboarding;

	private final AgentRegistry registry;

	private final WorkspaceLeases leases;

	private final NodeBus bus;

	private final AgentStore agents;

	private final AgentProperties properties;

	/** The node's bytes of agents' events waiting to be published. */
	private final PendingBytes pendingBytes;

	private final LostTasks lostTasks;

	public AgentSessions(Broker broker, AgentRegistry registry, WorkspaceLeases leases, NodeBus bus, AgentStore agents,
			AgentProperties properties, WorkspaceOffboarding offboarding, LostTasks lostTasks) {
		this.lostTasks = lostTasks;
		this.offboarding = offboarding;
		this.broker = broker;
		this.registry = registry;
		this.leases = leases;
		this.bus = bus;
		this.agents = agents;
		this.properties = properties;
		this.pendingBytes = new PendingBytes(properties.pendingPublishBytes().toBytes());
	}

	/** Registers a session for its token's workspace. */
	Mono<Void> register(AgentSession session, ClientMessage message) {
		Connection connection = session.connection();
		HubPrincipal principal = session.principal();
		String workspaceId = message.requireText("workspaceId");
		String version = message.optionalText("version");
		String agentId = message.optionalText("agentId");
		if (!workspaceId.equals(principal.workspace())) {
			AgentIngress.refuse(connection, ErrorCode.FORBIDDEN,
					"this agent token is for workspace " + principal.workspace() + ", not " + workspaceId,
					CloseCode.FORBIDDEN, message.id());
			return Mono.empty();
		}
		if (session.isRegistered()) {
			throw ContractViolation.badRequest("already registered");
		}
		if (version != null && version.length() > MAX_VERSION) {
			// the column's width: a longer one would fail to be recorded, not refused
			throw ContractViolation.badRequest("register: data.version must be at most " + MAX_VERSION + " characters");
		}
		if (agentId != null && !agentId.equals(principal.subject())) {
			// An agent id is not a capability: an agent goes by its token's subject only.
			AgentIngress.refuse(connection, ErrorCode.FORBIDDEN,
					"an agent registers as its token's subject, not as '" + clip(agentId) + "'", CloseCode.FORBIDDEN,
					message.id());
			return Mono.empty();
		}
		return this.agents.workspaceOfAgent(principal.subject()).onErrorResume((ex) -> {
			// Fail open: with the database down the agent still serves its own workspace
			// (the token names it); only the check against an id's earlier workspace is
			// skipped, and the row of this registration is not written either.
			this.notChecked.warn("Could not check the workspace of agent {}: {}", principal.subject(), ex.toString());
			return Mono.empty();
		}).defaultIfEmpty(workspaceId).flatMap((owner) -> {
			if (!owner.equals(workspaceId)) {
				// agent:{id} belongs to the workspace the id first served; it never
				// moves.
				AgentIngress.refuse(connection, ErrorCode.FORBIDDEN,
						"agent id '" + clip(principal.subject()) + "' belongs to another workspace",
						CloseCode.FORBIDDEN, message.id());
				return Mono.empty();
			}
			return registerOwned(session, message, workspaceId, version);
		});
	}

	private static String clip(String value) {
		return (value.length() > 64) ? value.substring(0, 64) + "…" : value;
	}

	private Mono<Void> registerOwned(AgentSession session, ClientMessage message, String workspaceId, String version) {
		Connection connection = session.connection();
		HubPrincipal principal = session.principal();
		String agentId = principal.subject();
		String capabilities = capabilities(message.data().get("capabilities"));
		String channel = Channel.workspace(workspaceId).name();
		Instant registeringSince = Instant.now();
		OrderedPublisher publisher = new OrderedPublisher(this.broker, channel, this.properties.maxPendingPublishes(),
				this.properties.coalesceMaxBytes(), this.properties.publishOutage(), this.pendingBytes, (ex) -> {
					this.notPublished.warn("Publish for workspace {} failed: {}", workspaceId, ex.toString());
					connection.send(ServerMessage.error(ErrorCode.UNAVAILABLE,
							"event not published: " + EngineUnavailableException.describe(ex), null));
				});
		session.registered(workspaceId, agentId, (version != null) ? version : "unknown", publisher);
		this.registry.register(session);
		String nodeId = this.properties.nodeId();
		return this.leases.acquire(workspaceId, nodeId, session.sessionId()).flatMap((acquired) -> {
			session.lease(acquired.lease());
			if (connection.isClosed() && this.registry.session(session.sessionId()) == null) {
				// The session ended while the lease was being taken, and its end saw no
				// lease to drop: drop it now, or it would route commands to nobody until
				// it expires.
				return replace(acquired.previous(), session).then(this.leases.release(acquired.lease()))
					.then(Mono.error(new IllegalStateException("session closed during registration")));
			}
			return replace(acquired.previous(), session)
				.then(this.agents.connected(workspaceId, session.agentId(), session.sessionId(), nodeId,
						acquired.lease().fence(), session.version(), capabilities, Instant.now()))
				.onErrorResume((ex) -> {
					// The lease is the authority on who serves the workspace; a database
					// hiccup must not refuse the agent, only leave its row stale.
					logger.warn("Could not record agent of workspace {}: {}", workspaceId, ex.toString());
					return Mono.empty();
				});
		}).then(Mono.<Void>fromRunnable(() -> registered(session, message, registeringSince))).onErrorResume((ex) -> {
			if (connection.isClosed()) {
				return Mono.empty();
			}
			this.notRegistered.warn("Registration for workspace {} failed: {}", workspaceId, ex.toString());
			AgentIngress.refuse(connection, ErrorCode.UNAVAILABLE,
					"registration failed, try again: " + EngineUnavailableException.describe(ex),
					CloseCode.INTERNAL_ERROR, message.id());
			return Mono.empty();
		});
	}

	private void registered(AgentSession session, ClientMessage message, Instant registeringSince) {
		Connection connection = session.connection();
		if (connection.isClosed()) {
			// Gone (or replaced) while the lease was taken: the end of the session
			// releases it.
			return;
		}
		ObjectNode data = HubJson.object();
		data.put("sessionId", session.sessionId());
		data.put("heartbeatIntervalMs", this.properties.heartbeatInterval().toMillis());
		connection.send(new ServerMessage(MessageTypes.REGISTERED, message.id(), data, Instant.now()));
		if (!"unknown".equals(session.version()) && Versions.older(session.version(), this.properties.minVersion())) {
			ObjectNode update = HubJson.object();
			update.put("requiredVersion", this.properties.minVersion());
			connection.send(ServerMessage.of(MessageTypes.AGENT_UPDATE, null, update));
		}
		publishState(session, true, "connected");
		reconcile(session, message.data().get("tasks"), registeringSince);
	}

	/**
	 * An agent that lists the tasks it knows in {@code register} ({@code tasks},
	 * optional): the workspace's tasks the hub has as queued or running, created before
	 * this registration, that it does not list are ended as {@code failed} (lost: it
	 * restarted, or the command never reached it); listed tasks that have ended here
	 * (cancelled while no agent was connected, or lost) are cancelled at the agent.
	 */
	private void reconcile(AgentSession session, JsonNode tasks, Instant registeringSince) {
		if (tasks == null || !tasks.isArray()) {
			return;
		}
		Set<String> known = new HashSet<>();
		for (JsonNode task : tasks) {
			if (task.isString() && known.size() < MAX_LISTED_TASKS) {
				known.add(task.asString());
			}
		}
		this.lostTasks.reconcile(session.workspaceId(), known, registeringSince).subscribe((taskId) -> {
			ObjectNode data = HubJson.object();
			data.put("taskId", taskId);
			session.connection().send(ServerMessage.of(MessageTypes.CANCEL, null, data));
		}, (ex) -> logger.warn("Could not reconcile the tasks of workspace {}: {}", session.workspaceId(),
				ex.toString()));
	}

	private Mono<Void> replace(Lease previous, AgentSession session) {
		if (previous == null || previous.sessionId().equals(session.sessionId())) {
			return Mono.empty();
		}
		if (previous.nodeId().equals(this.properties.nodeId())) {
			replaceLocal(previous.sessionId(), session.workspaceId());
			return Mono.empty();
		}
		return this.bus
			.send(previous.nodeId(),
					new NodeMessage(NodeMessage.REPLACE, previous.workspaceId(), previous.sessionId(), null))
			.then();
	}

	/** Closes a session of this node that a newer agent replaced (4009). */
	void replaceLocal(String sessionId, String workspaceId) {
		AgentSession old = this.registry.session(sessionId);
		if (old != null) {
			old.end(AgentSession.End.REPLACED, CloseCode.REPLACED,
					"replaced by a newer agent for workspace " + workspaceId);
		}
	}

	/** Records a lifecycle state the agent reported (message or heartbeat). */
	Mono<Void> lifecycle(AgentSession session, String state) {
		if (!LIFECYCLE_STATES.contains(state)) {
			throw ContractViolation
				.badRequest("lifecycle: state must be one of " + LIFECYCLE_STATES + " but was '" + state + "'");
		}
		if (state.equals(session.lifecycle())) {
			return Mono.empty();
		}
		session.lifecycle(state);
		publishState(session, true, "connected");
		if ("off".equals(state)) {
			this.offboarding.offboard(session.workspaceId()).subscribe();
		}
		return this.agents.lifecycle(session.workspaceId(), session.sessionId(), state).onErrorResume((ex) -> {
			logger.warn("Could not record lifecycle of workspace {}: {}", session.workspaceId(), ex.toString());
			return Mono.empty();
		});
	}

	/** A heartbeat: it may carry the lifecycle state. */
	Mono<Void> heartbeat(AgentSession session, JsonNode data) {
		JsonNode lifecycle = data.get("lifecycle");
		if (lifecycle != null && lifecycle.isString()) {
			return lifecycle(session, lifecycle.asString());
		}
		return Mono.empty();
	}

	/**
	 * The end of a session: drops its lease and, when it still held it (it was not
	 * replaced), records and publishes the workspace's agent as disconnected (or
	 * {@code timeout}).
	 */
	Mono<Void> ended(AgentSession session) {
		this.registry.ending(1);
		return endedInner(session).doFinally((signal) -> this.registry.ending(-1));
	}

	private Mono<Void> endedInner(AgentSession session) {
		boolean current = this.registry.remove(session);
		OrderedPublisher publisher = session.publisher();
		Lease lease = session.lease();
		if (publisher == null) {
			return Mono.empty();
		}
		Mono<Boolean> held = (lease != null) ? this.leases.release(lease).onErrorResume((ex) -> {
			// Redis is unreachable: report the disconnection anyway (fail open), as
			// this node last knew its agent as the current one.
			logger.warn("Could not release lease of workspace {}: {}", session.workspaceId(), ex.toString());
			return Mono.just(current);
		}) : Mono.just(false);
		String status = (session.end() == AgentSession.End.TIMEOUT) ? "timeout" : "disconnected";
		return held.flatMap((mine) -> {
			if (!mine || session.end() == AgentSession.End.REPLACED) {
				return Mono.empty();
			}
			publishState(session, false, status);
			return this.agents.disconnected(session.workspaceId(), session.sessionId(), status, Instant.now())
				.onErrorResume((ex) -> {
					logger.warn("Could not record disconnection in workspace {}: {}", session.workspaceId(),
							ex.toString());
					return Mono.empty();
				});
		}).then(Mono.defer(() -> {
			publisher.close();
			return publisher.closed();
		}));
	}

	private void publishState(AgentSession session, boolean connected, String status) {
		session.publisher()
			.offer(EventType.WORKSPACE_STATE.wireName(), HubJson.tree(new WorkspaceState(session.workspaceId(),
					connected, session.version(), status, session.lifecycle())));
	}

	private static String capabilities(JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isArray()) {
			throw ContractViolation.badRequest("register: data.capabilities must be an array of strings");
		}
		StringBuilder out = new StringBuilder();
		for (JsonNode item : node) {
			if (!item.isString()) {
				throw ContractViolation.badRequest("register: data.capabilities must be an array of strings");
			}
			out.append((out.length() > 0) ? "," : "").append(item.asString());
		}
		return (out.length() > 1024) ? out.substring(0, 1024) : out.toString();
	}

}
