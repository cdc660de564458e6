package dev.agenthub.socketio.engine;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;

/**
 * The upgrade of one session from long-polling to WebSocket: the probe socket, its
 * "2probe", its "5", its timeout, and the further WebSockets refused meanwhile.
 *
 * <p>
 * Its state is guarded by the session's monitor (one lock for the session, its polling
 * and its upgrade); what it hands out (a held poll's answer, waiting refusals, closing a
 * socket) runs outside it.
 */
public final class EioUpgrade {

	private final EioSession session;

	private @Nullable WsOutbound probe;

	private boolean probed;

	/**
	 * Refusals of further WebSockets that wait for the probe's "2probe"; null if none.
	 */
	private @Nullable WaitingRefusals refusals;

	private @Nullable Disposable timeoutTask;

	EioUpgrade(EioSession session) {
		this.session = session;
	}

	/** A WebSocket with this session's sid opened: it may become the transport. */
	public boolean begin(WsOutbound ws) {
		synchronized (this.session) {
			if (this.session.closedLocked() || this.session.transportLocked() != EioSession.Transport.POLLING
					|| this.probe != null) {
				return false;
			}
			this.probe = ws;
			this.timeoutTask = this.session.timer()
				.schedule(() -> abort(ws), this.session.config().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		return true;
	}

	/**
	 * A WebSocket with this sid that the session will not take ({@link #begin} said no:
	 * it has one, or one is probing): {@code refuse} closes it, at once unless a probe in
	 * progress has not yet answered its "2probe" — then once it has, or has ended
	 * (upgraded, aborted, timed out, closed). The reference server reads every socket on
	 * one thread, so its pong to a "2probe" sent before the second socket opened leaves
	 * before that socket is closed (the official suite counts on it); here the two
	 * sockets may be read on two event loops, and the refusal waits for the probe's. At
	 * most {@link WaitingRefusals#MAX} wait.
	 */
	public void refuse(Runnable refuse) {
		synchronized (this.session) {
			if (!this.session.closedLocked() && this.probe != null && !this.probed) {
				if (this.refusals == null) {
					this.refusals = new WaitingRefusals();
				}
				if (this.refusals.offer(refuse)) {
					return;
				}
			}
		}
		refuse.run();
	}

	/**
	 * The probe WebSocket got "2probe" (and its pong went out). A pending poll is held
	 * for the reference's check (100 ms) and then ended with a noop, so the client can
	 * pause; a client that sends "5" at once finds it refused instead (as with engine.io,
	 * whose check writes that noop). Ending it at once would answer 200 to a poll that
	 * raced "2probe" and "5".
	 */
	public void probed(WsOutbound ws) {
		WaitingRefusals waiting;
		synchronized (this.session) {
			if (this.probe != ws) {
				return;
			}
			this.probed = true;
			waiting = takeRefusalsLocked();
			this.session.polling().holdForUpgradeLocked();
		}
		WaitingRefusals.runAll(waiting);
	}

	/** The probe WebSocket got "5": it becomes the transport. */
	public boolean complete(WsOutbound ws) {
		MonoSink<byte[]> poll;
		boolean held;
		WaitingRefusals waiting;
		synchronized (this.session) {
			if (this.session.closedLocked() || this.probe != ws) {
				return false;
			}
			this.session.upgradedLocked(ws);
			waiting = endLocked();
			held = this.session.polling().heldForUpgradeLocked();
			poll = this.session.polling().takeLocked();
		}
		WaitingRefusals.runAll(waiting);
		if (poll != null && held) {
			// as the reference server: an upgraded session refuses polling requests
			poll.error(EioError.BAD_REQUEST.exception());
		}
		else if (poll != null) {
			poll.success(EioFrame.NOOP.bytes());
		}
		this.session.metrics().upgraded();
		ws.drain();
		return true;
	}

	/** The probe failed or timed out: polling goes on. */
	public void abort(WsOutbound ws) {
		MonoSink<byte[]> poll;
		byte[] body = null;
		WaitingRefusals waiting;
		synchronized (this.session) {
			if (this.probe != ws) {
				return;
			}
			waiting = endLocked();
			// a poll held during the probe goes on polling
			this.session.polling().unholdLocked();
			poll = this.session.polling().takeIfAnswerableLocked();
			if (poll != null) {
				body = this.session.drainLocked();
			}
		}
		if (poll != null) {
			poll.success(body);
		}
		ws.close();
		WaitingRefusals.runAll(waiting);
	}

	/** Whether the probe answered "2probe" (polling is then held, not answered). */
	boolean probedLocked() {
		return this.probed;
	}

	/** The probe socket, if one is probing. */
	@Nullable WsOutbound probeLocked() {
		return this.probe;
	}

	/**
	 * The probe in progress ends (upgraded, aborted, the session closed): no probe, its
	 * timeout cancelled, and the refusals that waited for it, to run outside the lock.
	 */
	@Nullable WaitingRefusals endLocked() {
		this.probe = null;
		this.probed = false;
		if (this.timeoutTask != null) {
			this.timeoutTask.dispose();
		}
		return takeRefusalsLocked();
	}

	private @Nullable WaitingRefusals takeRefusalsLocked() {
		WaitingRefusals taken = this.refusals;
		this.refusals = null;
		return taken;
	}

}
