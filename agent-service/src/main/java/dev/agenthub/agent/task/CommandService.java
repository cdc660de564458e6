package dev.agenthub.agent.task;

import java.time.Instant;
import java.util.List;

import dev.agenthub.agent.lease.Lease;
import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.agent.routing.NodeBus;
import dev.agenthub.agent.routing.NodeMessage;
import dev.agenthub.agent.state.AgentStore;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import dev.agenthub.contracts.event.TaskState;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes commands for workspaces' agents: stores the task under a task id the hub
 * generates (the client's {@code taskId} is only an idempotency key within its workspace:
 * another workspace using the same key gets its own task and learns nothing), then hands
 * the command to the node holding the workspace's lease. Terminal tabs
 * ({@code tab:start}, {@code tab:stop}) and cancels take the same way: the workspace's
 * lease names the node, the {@link NodeBus} carries the message there, and that node
 * gives it to its session of the workspace's agent. Nothing is queued for an agent that
 * is not connected: that is a {@code no_agent} error at once.
 */
public class CommandService {

	private final WorkspaceLeases leases;

	private final NodeBus bus;

	private final TaskStore store;

	private final LostTasks lostTasks;

	private final AgentStore agents;

	/** What an agent lists in {@code register}'s capabilities when it runs tabs. */
	static final String TABS_CAPABILITY = "tabs";

	public CommandService(WorkspaceLeases leases, NodeBus bus, TaskStore store, LostTasks lostTasks,
			AgentStore agents) {
		this.leases = leases;
		this.bus = bus;
		this.store = store;
		this.lostTasks = lostTasks;
		this.agents = agents;
	}

	/**
	 * Sends a command to a workspace's agent.
	 * @param requestedBy who asks (user id, or the service and the user it acts for)
	 * @return the task; {@code duplicate} when the workspace used the same idempotency
	 * key before (that task, not run again)
	 */
	public Mono<Submitted> submit(String workspaceId, CommandRequest request, String requestedBy) {
		return holder(workspaceId).flatMap((lease) -> {
			TaskRecord task = new TaskRecord(request.taskId(), workspaceId, request.command(), request.args(),
					request.cwd(), List.copyOf(request.env().keySet()), request.timeoutSeconds(), requestedBy,
					TaskState.QUEUED.wireName(), null, null, null, Instant.now(), null, null);
			String fingerprint = (request.idempotencyKey() != null) ? request.fingerprint(requestedBy, request.taskId())
					: null;
			return this.store.insert(task, request.idempotencyKey(), fingerprint)
				.flatMap((inserted) -> inserted ? dispatch(lease, request)
						: duplicate(workspaceId, request, requestedBy));
		});
	}

	private Mono<Submitted> dispatch(Lease lease, CommandRequest request) {
		return toAgent(lease, NodeMessage.COMMAND, request.toAgentData()).flatMap((delivered) -> {
			if (delivered) {
				return Mono.just(new Submitted(request.taskId(), TaskState.QUEUED.wireName(), false));
			}
			return this.store
				.status(request.taskId(), TaskState.FAILED.wireName(), null, "the agent's node did not answer", null,
						Instant.now())
				.then(Mono.error(noAgent(lease.workspaceId())));
		});
	}

	/**
	 * The task a repeated idempotency key names, in this workspace only, when the key
	 * names the same request: the same user sending the same command. Another request
	 * under a used key is refused ({@code conflict}) — never answered with the other
	 * request's task, which would let one member's command stand in for another's.
	 */
	private Mono<Submitted> duplicate(String workspaceId, CommandRequest request, String requestedBy) {
		if (request.idempotencyKey() == null) {
			return Mono.error(new IllegalStateException("generated task id " + request.taskId() + " collided"));
		}
		return this.store.taskIdOf(workspaceId, request.idempotencyKey())
			.flatMap(this.store::find)
			.flatMap((existing) -> this.store.fingerprintOf(existing.taskId())
				.filter((stored) -> stored.equals(request.fingerprint(requestedBy, existing.taskId())))
				.map((same) -> new Submitted(existing.taskId(), existing.status(), true))
				.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.CONFLICT, "taskId "
						+ request.idempotencyKey() + " was used in workspace " + workspaceId
						+ " for another request (another command, arguments, directory, environment or time limit,"
						+ " or another user); an idempotency key names one request, so choose another taskId"))))
			.switchIfEmpty(Mono.error(() -> new ContractViolation(ErrorCode.CONFLICT,
					"a task with taskId " + request.idempotencyKey() + " is being created; try again")));
	}

	/**
	 * Asks the agent running a task to cancel it. With no agent to ask (none connected
	 * for the workspace, or its node gone), nobody runs the task: it is ended as
	 * {@code cancelled} at once, and an agent that comes back still running it is told to
	 * cancel it when it registers.
	 */
	public Mono<Submitted> cancel(TaskRecord task) {
		if (TaskState.terminal(task.status())) {
			return Mono.error(ended(task.taskId(), task.status()));
		}
		ObjectNode data = HubJson.object();
		data.put("taskId", task.taskId());
		return this.leases.current(task.workspaceId())
			.flatMap((lease) -> toAgent(lease, NodeMessage.CANCEL, data))
			.defaultIfEmpty(false)
			.flatMap((delivered) -> delivered ? Mono.just(new Submitted(task.taskId(), task.status(), false))
					: this.lostTasks
						.end(task.taskId(), task.workspaceId(), TaskState.CANCELLED.wireName(),
								"cancelled while no agent was connected")
						.flatMap((ended) -> ended
								? Mono.just(new Submitted(task.taskId(), TaskState.CANCELLED.wireName(), false))
								: this.store.find(task.taskId())
									.flatMap((now) -> Mono.<Submitted>error(ended(now.taskId(), now.status())))));
	}

	/**
	 * Asks the workspace's agent to open a terminal tab ({@code tab:start}); its
	 * {@code tab:started}, {@code tab:output} and {@code tab:stopped} follow on
	 * {@code workspace:{id}}. An agent that already runs a tab of that id ignores it.
	 * @return the tab's id, once the node holding the agent has the message
	 */
	public Mono<String> startTab(String workspaceId, TabRequest request) {
		return runsTabs(workspaceId).then(deliver(workspaceId, NodeMessage.TAB_START, request.toAgentData(), "tabs"))
			.thenReturn(request.tabId());
	}

	/**
	 * {@code conflict} when the workspace's agent registered capabilities that do not
	 * list {@code tabs} (it would ignore {@code tab:start}, and the client wait for a
	 * {@code tab:started} that never comes); an agent that named none may run them.
	 */
	private Mono<Void> runsTabs(String workspaceId) {
		return this.agents.find(workspaceId)
			.filter((agent) -> !agent.offers(TABS_CAPABILITY))
			.flatMap((agent) -> Mono.error(new ContractViolation(ErrorCode.CONFLICT, "the agent of workspace "
					+ workspaceId + " does not run terminal tabs (\"tabs\" is not among its capabilities)")));
	}

	/**
	 * Asks the workspace's agent to close a terminal tab ({@code tab:stop}); its
	 * {@code tab:stopped} follows. A tab the agent does not run is ignored by it.
	 * @return the tab's id, once the node holding the agent has the message
	 */
	public Mono<String> stopTab(String workspaceId, String tabId) {
		return deliver(workspaceId, NodeMessage.TAB_STOP, TabRequest.stopData(tabId), "tabs").thenReturn(tabId);
	}

	/**
	 * Sends text typed into a terminal tab to the workspace's agent ({@code tab:input}),
	 * for the tab's stdin; inputs of one sender reach the agent in the order sent. A tab
	 * the agent does not run ignores it.
	 * @param data the {@code tab:input} data ({@link TabRequest#inputData})
	 * @return the tab's id, once the node holding the agent has the message
	 */
	public Mono<String> tabInput(String workspaceId, ObjectNode data) {
		return deliver(workspaceId, NodeMessage.TAB_INPUT, data, "tabs").thenReturn(data.path("tabId").asString());
	}

	/**
	 * Hands a message to the node of the workspace's agent; {@code no_agent} when none is
	 * connected or its node did not answer.
	 */
	private Mono<Void> deliver(String workspaceId, String kind, ObjectNode data, String what) {
		return this.leases.current(workspaceId)
			.flatMap((lease) -> toAgent(lease, kind, data))
			.defaultIfEmpty(false)
			.flatMap((delivered) -> delivered ? Mono.<Void>empty() : Mono.error(noAgent(workspaceId, what)));
	}

	/** Sends a message for the lease's agent to the node holding the lease. */
	private Mono<Boolean> toAgent(Lease lease, String kind, ObjectNode data) {
		return this.bus.send(lease.nodeId(), new NodeMessage(kind, lease.workspaceId(), null, data));
	}

	private static ContractViolation ended(String taskId, String status) {
		return new ContractViolation(ErrorCode.CONFLICT, "task " + taskId + " has ended already (" + status + ")");
	}

	private Mono<Lease> holder(String workspaceId) {
		return this.leases.current(workspaceId).switchIfEmpty(Mono.error(() -> noAgent(workspaceId)));
	}

	private static ContractViolation noAgent(String workspaceId) {
		return noAgent(workspaceId, "commands");
	}

	private static ContractViolation noAgent(String workspaceId, String what) {
		return new ContractViolation(ErrorCode.NO_AGENT,
				"no agent is connected for workspace " + workspaceId + "; " + what
						+ " are not queued, so start the workspace's sidecar agent (or wait until it reconnects)"
						+ " and try again");
	}

	/**
	 * A command accepted for delivery.
	 *
	 * @param taskId the task
	 * @param status its state
	 * @param duplicate whether the task id was known already (the command is not run
	 * again)
	 */
	public record Submitted(String taskId, String status, boolean duplicate) {

	}

}
