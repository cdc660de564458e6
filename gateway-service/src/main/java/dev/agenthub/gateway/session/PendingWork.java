package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Work started on one thread and finished on another (e.g. a store write) that shutdown
 * waits for: {@link #await} blocks, without polling, until every begun piece has ended or
 * the time is up.
 */
final class PendingWork {

	private int pending;

	synchronized void begin() {
		this.pending++;
	}

	synchronized void end() {
		if (--this.pending == 0) {
			notifyAll();
		}
	}

	synchronized int pending() {
		return this.pending;
	}

	/**
	 * Waits until nothing is pending, at most {@code timeout}.
	 * @return whether everything ended in time
	 */
	synchronized boolean await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.pending > 0) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

}
