package dev.agenthub.agent.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters of agents' events a node holds until they are published — a slow or
 * unavailable engine makes them wait — shared by every agent's {@link OrderedPublisher}:
 * at most {@link #max()} on the node, and at most a sixteenth of it for one agent, so one
 * agent cannot take what the others need.
 */
public final class PendingBytes {

	private final long max;

	private final AtomicLong held = new AtomicLong();

	public PendingBytes(long max) {
		if (max < 16) {
			throw new IllegalArgumentException("pending publish bytes must be at least 16, not " + max);
		}
		this.max = max;
	}

	/** The most the node holds. */
	public long max() {
		return this.max;
	}

	/** The most one agent holds. */
	public long perPublisher() {
		return this.max / 16;
	}

	/** Held now. */
	public long held() {
		return this.held.get();
	}

	/** Takes {@code bytes}, unless the node would hold more than {@link #max()}. */
	boolean take(long bytes) {
		while (true) {
			long now = this.held.get();
			if (now + bytes > this.max) {
				return false;
			}
			if (this.held.compareAndSet(now, now + bytes)) {
				return true;
			}
		}
	}

	/** Gives back what {@link #take} took. */
	void give(long bytes) {
		this.held.addAndGet(-bytes);
	}

}
