package dev.agenthub.socketio.engine;

import dev.agenthub.socketio.DisconnectReason;

/**
 * The server-initiated Engine.IO v4 heartbeat of one session: a ping every pingInterval,
 * and a close with {@link DisconnectReason#PING_TIMEOUT} when the pong does not come
 * within pingTimeout.
 * <p>
 * It holds two deadlines and no timer task: the server's sweep ({@link EioSessions})
 * calls {@link #tick} on every session a few times per interval (a scheduled task per
 * session cost an idle connection 130 bytes). A ping is at most one sweep period late, a
 * tenth of the shorter of the two durations; the pong's deadline counts from when the
 * ping was due, and a request for a session past it finds the session gone at once
 * ({@link EioSessions#get}), as with the reference server's timers.
 */
final class Heartbeat {

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
			else if (now - this.nextPingAt >= 0) {
				ping = true;
				// counted from when the ping was due, as the reference server's timer
				// does (a sweep may send it a little later), but never less than half
				// the timeout from now
				long timeout = this.session.config().pingTimeout().toNanos();
				long due = this.nextPingAt + timeout;
				this.pongDueBy = (due - (now + timeout / 2) >= 0) ? due : now + timeout / 2;
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
