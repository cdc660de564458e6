package dev.agenthub.agent.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import dev.agenthub.agent.lease.WorkspaceLeases;
import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.channel.Channel;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.EventType;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.contracts.event.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ends tasks nobody runs any more, so that no task stays {@code queued} or
 * {@code running} forever: those an agent does not know when it registers again (it
 * restarted, or the command never reached it), those cancelled while no agent is
 * connected, and those whose agent stayed gone past {@code hub.agent.lost-task-timeout}.
 * Each is ended with a terminal state of the catalogue ({@code failed} with an error
 * saying it was lost, or {@code cancelled}) and {@code task:status} is published on
 * {@code workspace:{id}} and {@code task:{id}} — once, by whichever node changed the row.
 */
public class LostTasks {

	/** The error of a task its agent no longer knows. */
	public static final String LOST_ON_REGISTER = "lost: the agent registered again without this task"
			+ " (it restarted, or the command never reached it)";

	private static final Logger logger = LoggerFactory.getLogger(LostTasks.class);

	private static final int SWEEP_BATCH = 500;

	private final TaskStore store;

	private final TaskTracker tracker;

	private final Broker broker;

	private final WorkspaceLeases leases;

	public LostTasks(TaskStore store, TaskTracker tracker, Broker broker, WorkspaceLeases leases) {
		this.store = store;
		this.tracker = tracker;
		this.broker = broker;
		this.leases = leases;
	}

	/**
	 * Ends a task unless it has ended already; publishes its {@code task:status} when
	 * this call ended it.
	 * @return whether this call ended it
	 */
	public Mono<Boolean> end(String taskId, String workspaceId, String status, String error) {
		return this.tracker.end(taskId, status, error).flatMap((ended) -> {
			if (!ended) {
				return Mono.just(false);
			}
			logger.info("Task {} of workspace {} ended {}: {}", taskId, workspaceId, status, error);
			TaskStatus event = new TaskStatus(taskId, status, null, error);
			return this.broker
				.publish(Channel.workspace(workspaceId).name(), EventType.TASK_STATUS.wireName(), HubJson.tree(event))
				.then(this.broker.publish(Channel.task(taskId).name(), EventType.TASK_STATUS.wireName(),
						HubJson.tree(event)))
				.thenReturn(true);
		});
	}

	/**
	 * An agent registered again listing the tasks it knows: the workspace's queued and
	 * running tasks created before the registration that it does not list are ended as
	 * {@code failed} (lost).
	 * @param known the task ids the agent runs (or just ended)
	 * @param registeredAt when the registration began: later tasks may be on their way to
	 * it
	 * @return the listed tasks that have ended here (cancelled, or lost earlier): the
	 * agent should stop them
	 */
	public Flux<String> reconcile(String workspaceId, Set<String> known, Instant registeredAt) {
		Flux<String> lost = this.store.unfinished(workspaceId, registeredAt, SWEEP_BATCH)
			.filter((taskId) -> !known.contains(taskId))
			.concatMap((taskId) -> end(taskId, workspaceId, TaskState.FAILED.wireName(), LOST_ON_REGISTER))
			.thenMany(Flux.empty());
		Flux<String> stale = Flux.fromIterable(known)
			.concatMap((taskId) -> this.store.find(taskId)
				.filter((task) -> task.workspaceId().equals(workspaceId))
				.filter((task) -> TaskState.terminal(task.status()))
				.map(TaskRecord::taskId));
		return lost.concatWith(stale);
	}

	/**
	 * Ends the queued and running tasks of workspaces whose agent has been gone since
	 * before {@code now - timeout} and holds no lease.
	 * @return how many this call ended
	 */
	public Mono<Long> sweep(Instant now, Duration timeout) {
		Instant cutoff = now.minus(timeout);
		String error = "lost: the workspace's agent has been gone for more than " + timeout.toSeconds() + " s";
		return this.store.orphaned(cutoff, SWEEP_BATCH)
			.collectMultimap(TaskStore.Orphan::workspaceId, TaskStore.Orphan::taskId)
			.flatMapMany((byWorkspace) -> Flux.fromIterable(byWorkspace.entrySet()))
			.concatMap((entry) -> this.leases.current(entry.getKey())
				.hasElement()
				// an agent holds the workspace again: it said at registration which
				// tasks it knows
				.flatMapMany((held) -> held ? Flux.<Boolean>empty()
						: Flux.fromIterable(entry.getValue())
							.concatMap((taskId) -> end(taskId, entry.getKey(), TaskState.FAILED.wireName(), error))))
			.filter(Boolean::booleanValue)
			.count();
	}

}
