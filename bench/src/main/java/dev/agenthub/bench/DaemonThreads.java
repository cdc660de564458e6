package dev.agenthub.bench;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the harness's own (retries, publish loops, samplers): named, and never
 * keeping the process alive. Work that waits or loops gets one of these, not the JDK's
 * common pool (one worker on two cores).
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/** A factory of daemon threads called {@code name}. */
	public static ThreadFactory named(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
