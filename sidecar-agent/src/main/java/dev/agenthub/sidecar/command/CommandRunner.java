package dev.agenthub.sidecar.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.agenthub.agentclient.protocol.CommandRequest;
import dev.agenthub.contracts.event.TaskState;
import dev.agenthub.sidecar.process.ChildEnvironment;
import dev.agenthub.sidecar.process.OutputPump;
import dev.agenthub.sidecar.process.ProcessTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as processes, each on its own virtual thread: argv without a shell, in
 * the requested directory (relative ones resolve against the default), with a clean
 * environment ({@link ChildEnvironment}: an allow-list of the sidecar's variables plus
 * the given ones). stdout and stderr are read concurrently and reported chunk by chunk as
 * they arrive; {@code running} is reported after the spawn and one terminal status after
 * the output. At most {@code maxTasks} run at once; more fail at once.
 */
public final class CommandRunner implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CommandRunner.class);

	private static final long PIPE_DRAIN_MILLIS = 2000;

	private final TaskReporter reporter;

	private final Path defaultCwd;

	private final int maxTasks;

	private final Duration killGrace;

	private final int chunkBytes;

	private final Map<String, RunningTask> running = new ConcurrentHashMap<>();

	/** Tasks that ended within {@link #RECENTLY_ENDED}: when each ended (nanoTime). */
	private final Map<String, Long> ended = new ConcurrentHashMap<>();

	/**
	 * How long an ended task is still listed as known (its last reports may be queued).
	 */
	private static final long RECENTLY_ENDED = TimeUnit.SECONDS.toNanos(60);

	private volatile boolean closed;

	public CommandRunner(TaskReporter reporter, Path defaultCwd, int maxTasks, Duration killGrace, int chunkBytes) {
		this.reporter = reporter;
		this.defaultCwd = defaultCwd;
		this.maxTasks = maxTasks;
		this.killGrace = killGrace;
		this.chunkBytes = chunkBytes;
	}

	/**
	 * Starts a command in the background.
	 * @param request the command
	 */
	public void run(CommandRequest request) {
		if (this.closed) {
			this.reporter.status(request.taskId(), TaskState.FAILED, null, "agent is shutting down");
			return;
		}
		RunningTask task = new RunningTask();
		synchronized (this.running) {
			if (this.running.size() >= this.maxTasks) {
				this.reporter.status(request.taskId(), TaskState.FAILED, null,
						"too many running tasks (limit " + this.maxTasks + ")");
				return;
			}
			if (this.running.putIfAbsent(request.taskId(), task) != null) {
				logger.warn("Task {} is already running; ignoring the repeat", request.taskId());
				return;
			}
		}
		Thread.ofVirtual().name("task-" + request.taskId()).start(() -> {
			try {
				execute(request, task);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				logger.warn("Task {} failed unexpectedly", request.taskId(), ex);
				this.reporter.status(request.taskId(), TaskState.FAILED, null, ex.toString());
			}
			finally {
				long now = System.nanoTime();
				if (this.ended.size() >= 1024) {
					this.ended.values().removeIf((at) -> now - at > RECENTLY_ENDED);
				}
				this.ended.put(request.taskId(), now);
				this.running.remove(request.taskId(), task);
			}
		});
	}

	/**
	 * The tasks this runner knows: running, or ended within the last minute (their last
	 * reports may still wait in the outbound queue). Sent in {@code register} so the hub
	 * can end the tasks it thinks run here but do not.
	 */
	public Set<String> knownTasks() {
		long now = System.nanoTime();
		this.ended.values().removeIf((at) -> now - at > RECENTLY_ENDED);
		Set<String> known = new HashSet<>(this.running.keySet());
		known.addAll(this.ended.keySet());
		return known;
	}

	private void execute(CommandRequest request, RunningTask task) throws InterruptedException {
		String taskId = request.taskId();
		Path cwd = resolveCwd(request.cwd());
		if (!Files.isDirectory(cwd)) {
			this.reporter.status(taskId, TaskState.FAILED, null, "working directory does not exist: " + cwd);
			return;
		}
		ProcessBuilder builder = new ProcessBuilder(request.argv()).directory(cwd.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		ChildEnvironment.apply(builder, request.env());
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException | RuntimeException ex) {
			this.reporter.status(taskId, TaskState.FAILED, null,
					"cannot start " + request.command() + ": " + ex.getMessage());
			return;
		}
		this.reporter.status(taskId, TaskState.RUNNING, null, null);
		OutputPump stdout = OutputPump.start(process.getInputStream(), this.chunkBytes,
				(text) -> this.reporter.output(taskId, text, false), "task-" + taskId + "-out");
		OutputPump stderr = OutputPump.start(process.getErrorStream(), this.chunkBytes,
				(text) -> this.reporter.output(taskId, text, true), "task-" + taskId + "-err");
		task.process(process);
		if (task.cancelled) {
			ProcessTrees.kill(process, this.killGrace);
		}
		Integer timeout = request.timeoutSeconds();
		boolean exited = (timeout == null) ? waitFor(process) : process.waitFor(timeout, TimeUnit.SECONDS);
		if (!exited) {
			task.timedOut = true;
			ProcessTrees.kill(process, this.killGrace);
		}
		int exitCode = process.waitFor();
		stdout.awaitEnd(PIPE_DRAIN_MILLIS);
		stderr.awaitEnd(PIPE_DRAIN_MILLIS);
		if (task.timedOut) {
			this.reporter.status(taskId, TaskState.CANCELLED, exitCode, "timeout");
		}
		else if (task.cancelled) {
			this.reporter.status(taskId, TaskState.CANCELLED, exitCode, "cancelled");
		}
		else if (exitCode == 0) {
			this.reporter.status(taskId, TaskState.COMPLETED, 0, null);
		}
		else {
			this.reporter.status(taskId, TaskState.FAILED, exitCode, "exited with code " + exitCode);
		}
	}

	private static boolean waitFor(Process process) throws InterruptedException {
		process.waitFor();
		return true;
	}

	private Path resolveCwd(String cwd) {
		return (cwd == null || cwd.isBlank()) ? this.defaultCwd : this.defaultCwd.resolve(cwd).normalize();
	}

	/**
	 * Cancels a running task: kills its process tree (SIGTERM, then SIGKILL after the
	 * grace period); it then reports {@code cancelled}.
	 * @param taskId the task
	 * @return {@code false} if no such task is running
	 */
	public boolean cancel(String taskId) {
		RunningTask task = this.running.get(taskId);
		if (task == null) {
			return false;
		}
		task.cancelled = true;
		Process process = task.process;
		if (process != null) {
			Thread.ofVirtual().name("cancel-" + taskId).start(() -> {
				try {
					ProcessTrees.kill(process, this.killGrace);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		return true;
	}

	/**
	 * How many tasks are running.
	 * @return the count
	 */
	public int runningTasks() {
		return this.running.size();
	}

	/**
	 * Cancels every running task and refuses new ones.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.running.keySet().forEach(this::cancel);
	}

	private static final class RunningTask {

		volatile Process process;

		volatile boolean cancelled;

		volatile boolean timedOut;

		void process(Process process) {
			this.process = process;
		}

	}

}
