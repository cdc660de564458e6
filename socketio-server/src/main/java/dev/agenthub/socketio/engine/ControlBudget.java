package dev.agenthub.socketio.engine;

/**
 * A session's budget for packets a client may send that no handler sees, and so no
 * handler's rate limit counts: pongs, noops, acknowledgements nobody awaits. A token
 * bucket of {@link #RATE} a second and {@link #BURST} at once; a real client sends one
 * pong per ping interval. Thread-safe.
 */
final class ControlBudget {

	static final int RATE = 10;

	static final int BURST = 50;

	private double tokens = BURST;

	private long refilledAt = System.nanoTime();

	/** Takes one packet's token; {@code false} when the budget is spent. */
	synchronized boolean take() {
		long now = System.nanoTime();
		this.tokens = Math.min(BURST, this.tokens + (now - this.refilledAt) * (RATE / 1e9));
		this.refilledAt = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}

}
