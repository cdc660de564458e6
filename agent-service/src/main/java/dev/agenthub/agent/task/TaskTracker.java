package dev.agenthub.agent.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tasks this node's agents are running: which workspace each belongs to (so an agent
 * can report only its own workspace's tasks) and the tail of each one's output, written
 * to the {@code task} table when the task ends and, while it runs, at every
 * {@link #flush(Instant)}. At most {@code capacity} tasks are tracked; the oldest is
 * forgotten (its tail written) to make room.
 */
public class TaskTracker {

	/** Characters of output kept per task. */
	public static final int TAIL_CHARS = 65_536;

	private final TaskStore store;

	private final int capacity;

	private final Map<String, Tracked> tasks = new LinkedHashMap<>();

	public TaskTracker(TaskStore store, int capacity) {
		this.store = store;
		this.capacity = capacity;
	}

	/** Notes that a task of a workspace was handed to an agent of this node. */
	public void track(String taskId, String workspaceId) {
		Tracked evicted = null;
		synchronized (this) {
			this.tasks.putIfAbsent(taskId, new Tracked(workspaceId));
			if (this.tasks.size() > this.capacity) {
				Iterator<Map.Entry<String, Tracked>> oldest = this.tasks.entrySet().iterator();
				Map.Entry<String, Tracked> entry = oldest.next();
				oldest.remove();
				evicted = entry.getValue();
				evicted.taskId = entry.getKey();
			}
		}
		if (evicted != null && evicted.dirty) {
			this.store.output(evicted.taskId, evicted.tail.toString(), Instant.now()).subscribe(null, (ex) -> {
				// Best effort: the events on the task channel have the output too.
			});
		}
	}

	/**
	 * Whether a task belongs to a workspace (asks the database for tasks not tracked).
	 */
	public Mono<Boolean> belongsTo(String taskId, String workspaceId) {
		synchronized (this) {
			Tracked tracked = this.tasks.get(taskId);
			if (tracked != null) {
				return Mono.just(tracked.workspaceId.equals(workspaceId));
			}
		}
		return this.store.workspaceOf(taskId).map(workspaceId::equals).defaultIfEmpty(false).doOnNext((mine) -> {
			if (mine) {
				track(taskId, workspaceId);
			}
		});
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
			Tracked tracked = ended ? this.tasks.remove(taskId) : this.tasks.get(taskId);
			if (tracked != null && (ended || tracked.dirty)) {
				tail = tracked.tail.toString();
				tracked.dirty = false;
			}
		}
		return this.store.status(taskId, status, exitCode, error, tail, Instant.now());
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

		private final String workspaceId;

		private final StringBuilder tail = new StringBuilder();

		private boolean dirty;

		private String taskId;

		Tracked(String workspaceId) {
			this.workspaceId = workspaceId;
		}

	}

}
