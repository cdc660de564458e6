package dev.agenthub.socketio.engine;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Flow control of one session's input: while it is held, the WebSocket asks for no more
 * frames than those already asked for (TCP then pushes back on the client), and a
 * long-polling POST is answered only once it is released (the client sends the next after
 * it). Holds nest; each ends with one {@link #release()}, and the session's close ends
 * them all. Actions wait for the release outside the lock that guards the count.
 */
public final class InputHold {

	/** Most actions that wait for the release (a WebSocket and a POST do). */
	static final int MAX_WAITERS = 8;

	private int holds;

	private boolean ended;

	/** What waits for the release: a WebSocket's reads, a POST's answer. */
	private @Nullable List<Runnable> waiting;

	/** Holds the input (nothing once the session closed). */
	public synchronized void hold() {
		if (!this.ended) {
			this.holds++;
		}
	}

	/** Ends one hold; the last lets what waits go on. */
	public void release() {
		List<Runnable> released;
		synchronized (this) {
			if (this.holds == 0 || --this.holds > 0) {
				return;
			}
			released = takeWaiting();
		}
		runAll(released);
	}

	/** Whether the input is held. */
	public synchronized boolean held() {
		return this.holds > 0;
	}

	/**
	 * Runs {@code then} once the input is no longer held: at once when it is not, else on
	 * the last release or the session's close. Past {@link #MAX_WAITERS} (a client
	 * posting in parallel) it runs at once too, so what waits stays bounded.
	 */
	public void whenReleased(Runnable then) {
		synchronized (this) {
			if (this.holds > 0 && (this.waiting == null || this.waiting.size() < MAX_WAITERS)) {
				if (this.waiting == null) {
					this.waiting = new ArrayList<>(2);
				}
				this.waiting.add(then);
				return;
			}
		}
		then.run();
	}

	/** The session closed: every hold ends, and what waits goes on. */
	void end() {
		List<Runnable> released;
		synchronized (this) {
			this.ended = true;
			this.holds = 0;
			released = takeWaiting();
		}
		runAll(released);
	}

	private @Nullable List<Runnable> takeWaiting() {
		List<Runnable> taken = this.waiting;
		this.waiting = null;
		return taken;
	}

	private static void runAll(@Nullable List<Runnable> actions) {
		if (actions != null) {
			actions.forEach(Runnable::run);
		}
	}

}
