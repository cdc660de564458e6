package dev.agenthub.sidecar.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process and everything it started: a polite {@code destroy} (SIGTERM) of the
 * whole tree first, then {@code destroyForcibly} (SIGKILL) of whatever is left after the
 * grace period.
 */
public final class ProcessTrees {

	private ProcessTrees() {
	}

	/**
	 * Kills the tree; blocks for up to {@code grace} (call it off I/O threads).
	 * @param process the root process
	 * @param grace time between SIGTERM and SIGKILL
	 * @return the root's exit code, or -1 if it did not exit
	 */
	public static int kill(Process process, Duration grace) throws InterruptedException {
		// collect the tree first: once the root dies its children are re-parented
		List<ProcessHandle> descendants = process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		process.destroy();
		if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
		}
		for (ProcessHandle child : descendants) {
			if (child.isAlive()) {
				child.destroyForcibly();
			}
		}
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
	}

}
