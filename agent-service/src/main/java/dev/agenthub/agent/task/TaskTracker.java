package dev.agenthub.agent.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tasks this node's agents are running: which workspace each belongs to (so an agent
 * can report only its own workspace's tasks) and the tail of each one's output, written
 * to the {@code task} table when the task ends and, while it runs, at every
 * {@link #flush(Instant)}. At most {@code perWorkspace} tasks of one workspace are
 * tracked, and at most {@code capacity} in all: a workspace at its share makes room by
 * forgetting its own oldest task (its tail written), so one workspace starting tasks
 * without end never pushes another's out; only a node full of many workspaces' tasks
 * forgets the oldest of all.
 */
public class TaskTracker {

	/** Characters of output kept per task. */
	public static final int TAIL_CHARS = 65_536;

	private final TaskStore store;

	private final int capacity;

	private final int perWorkspace;

	/** Every tracked task, oldest first. */
	private final Map<String, Tracked> tasks = new LinkedHashMap<>();

	/** The tracked tasks of each workspace, oldest first. */
	private final Map<String, LinkedHashSet<String>> byWorkspace = new HashMap<>();

	public TaskTracker(TaskStore store, int capacity, int perWorkspace) {
		if (capacity < 1 || perWorkspace < 1) {
			throw new IllegalArgumentException("a task tracker keeps at least one task");
		}
		this.store = store;
		this.capacity = capacity;
		this.perWorkspace = Math.min(perWorkspace, capacity);
	}

	/** Notes that a task of a workspace was handed to an agent of this node. */
	public void track(String taskId, String workspaceId) {
		track(taskId, workspaceId, "");
	}

	/**
	 * Tracks a task whose output tail so far is {@code stored} (a task this node did not
	 * know: its agent reconnected here, or this node restarted), so the tail continues
	 * from it instead of starting empty and overwriting it.
	 */
	private void track(String taskId, String workspaceId, String stored) {
		Tracked evicted = null;
		synchronized (this) {
			if (this.tasks.containsKey(taskId)) {
				return;
			}
			LinkedHashSet<String> own = this.byWorkspace.computeIfAbsent(workspaceId, (id) -> new LinkedHashSet<>());
			if (own.size() >= this.perWorkspace) {
				evicted = forgetLocked(own.iterator().next());
			}
			else if (this.tasks.size() >= this.capacity) {
				evicted = forgetLocked(this.tasks.keySet().iterator().next());
			}
			own.add(taskId);
			Tracked tracked = new Tracked(taskId, workspaceId);
			tracked.tail.append(stored, Math.max(0, stored.length() - TAIL_CHARS), stored.length());
			this.tasks.put(taskId, tracked);
		}
		if (evicted != null && evicted.dirty) {
			this.store.output(evicted.taskId, evicted.tail.toString(), Instant.now()).subscribe(null, (ex) -> {
				// Best effort: the events on the task channel have the output too.
			});
		}
	}

	/** Stops tracking a task; the caller holds the lock. */
	private @Nullable Tracked forgetLocked(String taskId) {
		Tracked tracked = this.tasks.remove(taskId);
		if (tracked != null) {
			LinkedHashSet<String> own = this.byWorkspace.get(tracked.workspaceId);
			own.remove(taskId);
			if (own.isEmpty()) {
				this.byWorkspace.remove(tracked.workspaceId);
			}
		}
		return tracked;
	}

	/** Number of tasks tracked. */
	public synchronized int size() {
		return this.tasks.size();
	}

	/**
	 * Whether a task belongs to a workspace (asks the database for tasks not tracked;
	 * such a task is tracked from then on, its tail continuing from the stored output).
	 */
	public Mono<Boolean> belongsTo(String taskId, String workspaceId) {
		synchronized (this) {
			Tracked tracked = this.tasks.get(taskId);
			if (tracked != null) {
				return Mono.just(tracked.workspaceId.equals(workspaceId));
			}
		}
		return this.store.stored(taskId).map((stored) -> {
			boolean mine = stored.workspaceId().equals(workspaceId);
			if (mine) {
				track(taskId, workspaceId, stored.output());
			}
			return mine;
		}).defaultIfEmpty(false);
	}

	/** Appends output to a task's tail. */
	public synchronized void append(String taskId, String output) {
		Tracked tracked = this.tasks.get(taskId);
		if (tracked == null) {
			return;
		}
		tracked.tail.append(output);
		int excess = tracked.tail.length() - TAIL_CHARS;
		if (excess > 0) {
			tracked.tail.delete(0, excess);
		}
		tracked.dirty = true;
	}

	/** Records a task's new state; an ended task's tail is written and forgotten. */
	public Mono<Void> status(String taskId, String status, Integer exitCode, String error, boolean ended) {
		String tail = null;
		synchronized (this) {
			Tracked tracked = ended ? forgetLocked(taskId) : this.tasks.get(taskId);
			if (tracked != null && (ended || tracked.dirty)) {
				tail = tracked.tail.toString();
				tracked.dirty = false;
			}
		}
		return this.store.status(taskId, status, exitCode, error, tail, Instant.now());
	}

	/**
	 * Ends a task nobody runs any more (its tail written and forgotten), unless it has
	 * ended already.
	 * @return whether this call ended it
	 */
	public Mono<Boolean> end(String taskId, String status, String error) {
		String tail = null;
		synchronized (this) {
			Tracked tracked = forgetLocked(taskId);
			if (tracked != null && tracked.dirty) {
				tail = tracked.tail.toString();
			}
		}
		return this.store.end(taskId, status, error, tail, Instant.now());
	}

	/** Writes the tails that changed since the last flush. */
	public Mono<Void> flush(Instant now) {
		List<String[]> dirty = new ArrayList<>();
		synchronized (this) {
			this.tasks.forEach((taskId, tracked) -> {
				if (tracked.dirty) {
					tracked.dirty = false;
					dirty.add(new String[] { taskId, tracked.tail.toString() });
				}
			});
		}
		return Flux.fromIterable(dirty).concatMap((entry) -> this.store.output(entry[0], entry[1], now)).then();
	}

	private static final class Tracked {

		private final String taskId;

		private final String workspaceId;

		private final StringBuilder tail = new StringBuilder();

		private boolean dirty;

		Tracked(String taskId, String workspaceId) {
			this.taskId = taskId;
			this.workspaceId = workspaceId;
		}

	}

}
