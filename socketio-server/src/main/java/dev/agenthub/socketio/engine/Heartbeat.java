package dev.agenthub.socketio.engine;

import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoConfig;

/**
 * The server-initiated Engine.IO v4 heartbeat of one session: a ping every pingInterval,
 * and a close with {@link DisconnectReason#PING_TIMEOUT} when the pong does not come
 * within pingTimeout.
 * <p>
 * It holds two deadlines and no timer task: the server's sweep ({@link EioSessions})
 * calls {@link #tick} on every session every {@link #sweepPeriod} (a scheduled task per
 * session cost an idle connection 130 bytes). The sweep nearest to when a ping is due
 * sends it, at most half a period early or late on a machine that keeps up (a ping sent
 * by the first sweep after it was due came half a period late on average; in the official
 * suite's three-ping exchange those delays added up past its 1 s connect timeout on a
 * loaded machine, where the reference server's timers were on time). The pong's deadline
 * counts from when the ping was due, and a request for a session past it finds the
 * session gone at once ({@link EioSessions#get}), as with the reference server's timers.
 * A sweep that runs later than that (a loaded machine) must not cost the client its time
 * to answer: the pong is then due the timeout less one sweep period after the ping was
 * sent, near the reference server's timer, which counts from the send.
 */
final class Heartbeat {

	/** Heartbeat sweeps per pingInterval (or pingTimeout, the shorter). */
	private static final int SWEEPS_PER_PERIOD = 10;

	private static final long MIN_SWEEP_PERIOD = TimeUnit.MILLISECONDS.toNanos(5);

	private final EioSession session;

	/** When the next ping is due ({@link System#nanoTime}); guarded by this. */
	private long nextPingAt;

	/** When the pong of the ping sent is due; 0 while no ping awaits one. */
	private long pongDueBy;

	private boolean started;

	private boolean stopped;

	Heartbeat(EioSession session) {
		this.session = session;
	}

	/**
	 * How often the sweep serves every session, in nanoseconds: a tenth of the shorter of
	 * pingInterval and pingTimeout, at least 5 ms.
	 */
	static long sweepPeriod(SocketIoConfig config) {
		long shorter = Math.min(config.pingInterval().toNanos(), config.pingTimeout().toNanos());
		return Math.max(MIN_SWEEP_PERIOD, shorter / SWEEPS_PER_PERIOD);
	}

	synchronized void start() {
		this.started = true;
		this.nextPingAt = System.nanoTime() + this.session.config().pingInterval().toNanos();
	}

	synchronized void onPong() {
		this.pongDueBy = 0;
		this.nextPingAt = System.nanoTime() + this.session.config().pingInterval().toNanos();
	}

	synchronized void stop() {
		this.stopped = true;
	}

	/**
	 * Sends the ping that is due, or closes the session whose pong is overdue.
	 * @param now {@link System#nanoTime}
	 * @return whether the session timed out (and is being closed)
	 */
	boolean tick(long now) {
		boolean ping = false;
		boolean timedOut = false;
		synchronized (this) {
			if (!this.started || this.stopped) {
				return false;
			}
			if (this.pongDueBy != 0) {
				timedOut = now - this.pongDueBy >= 0;
			}
			else if (now - this.nextPingAt >= -sweepPeriod(this.session.config()) / 2) {
				// the sweep nearest to when the ping is due sends it
				ping = true;
				// counted from when the ping was due (a sweep sends it up to half a
				// period away from it), but never less than the timeout less one period
				// from now
				SocketIoConfig config = this.session.config();
				long timeout = config.pingTimeout().toNanos();
				long due = this.nextPingAt + timeout;
				long floor = now + timeout - sweepPeriod(config);
				this.pongDueBy = (due - floor >= 0) ? due : floor;
				if (this.pongDueBy == 0) {
					this.pongDueBy = 1;
				}
			}
		}
		if (timedOut) {
			this.session.close(DisconnectReason.PING_TIMEOUT);
		}
		else if (ping) {
			this.session.send(EioFrame.PING);
		}
		return timedOut;
	}

}
