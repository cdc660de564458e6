package dev.agenthub.socketio.engine;

import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.DisconnectReason;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The server-initiated Engine.IO v4 heartbeat of one session: a ping every pingInterval,
 * and a close with {@link DisconnectReason#PING_TIMEOUT} when the pong does not come
 * within pingTimeout.
 */
final class Heartbeat {

	private final EioSession session;

	private final Scheduler timer;

	private @Nullable Disposable nextPing;

	private @Nullable Disposable pongDeadline;

	private boolean stopped;

	Heartbeat(EioSession session, Scheduler timer) {
		this.session = session;
		this.timer = timer;
	}

	synchronized void start() {
		schedulePing();
	}

	void onPong() {
		synchronized (this) {
			dispose(this.pongDeadline);
			this.pongDeadline = null;
			schedulePing();
		}
	}

	synchronized void stop() {
		this.stopped = true;
		dispose(this.nextPing);
		dispose(this.pongDeadline);
	}

	private void schedulePing() {
		if (this.stopped) {
			return;
		}
		dispose(this.nextPing);
		this.nextPing = this.timer.schedule(this::ping, this.session.config().pingInterval().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void ping() {
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			dispose(this.pongDeadline);
			this.pongDeadline = this.timer.schedule(() -> this.session.close(DisconnectReason.PING_TIMEOUT),
					this.session.config().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		this.session.send(EioFrame.PING);
	}

	private static void dispose(@Nullable Disposable task) {
		if (task != null) {
			task.dispose();
		}
	}

}
