package dev.agenthub.socketio.engine;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Refusals of further WebSockets with a session's sid that wait for its probe to answer
 * "2probe" ({@link EioUpgrade#refuse}): at most {@link #MAX} of them. A session makes one
 * only when a refusal has to wait (an idle session keeps a null), guards it with its lock
 * and runs what it takes outside it.
 */
final class WaitingRefusals {

	/** At most this many wait; more are carried out at once. */
	static final int MAX = 8;

	private final List<Runnable> waiting = new ArrayList<>(1);

	/** Keeps {@code refuse} for later; false when {@link #MAX} already wait. */
	boolean offer(Runnable refuse) {
		if (this.waiting.size() >= MAX) {
			return false;
		}
		this.waiting.add(refuse);
		return true;
	}

	/** Runs every refusal of {@code refusals}, if any. */
	static void runAll(@Nullable WaitingRefusals refusals) {
		if (refusals != null) {
			refusals.waiting.forEach(Runnable::run);
		}
	}

}
