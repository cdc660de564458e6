package dev.agenthub.socketio.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.agenthub.socketio.DisconnectReason;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The long-polling side of one session: the GET waiting for packets (at most one), the
 * POST in flight (at most one), and a GET held while an upgrade completes.
 *
 * <p>
 * Its state is guarded by the session's monitor (one lock for the session, its polling
 * and its upgrade); answers to a GET are given outside it.
 */
public final class EioPolling {

	/** How long a poll that arrives during an upgrade is held (the reference's check). */
	static final Duration UPGRADE_CHECK = Duration.ofMillis(100);

	private final EioSession session;

	private @Nullable MonoSink<byte[]> pendingPoll;

	private boolean postInFlight;

	/**
	 * A poll arrived after the probe: answered with a noop after {@link #UPGRADE_CHECK}
	 * (the client may wait for it before it completes the upgrade), refused if the
	 * upgrade completes first.
	 */
	private boolean heldForUpgrade;

	EioPolling(EioSession session) {
		this.session = session;
	}

	/** A long-polling GET: completes with a payload when there is one. */
	public Mono<byte[]> poll() {
		return Mono.create((sink) -> {
			byte[] now = null;
			EioError error = null;
			boolean duplicate = false;
			synchronized (this.session) {
				if (this.session.closedLocked()) {
					error = EioError.UNKNOWN_SID;
				}
				else if (this.session.transportLocked() != EioSession.Transport.POLLING) {
					error = EioError.BAD_REQUEST;
				}
				else if (this.pendingPoll != null) {
					duplicate = true;
				}
				else if (this.session.upgrade().probedLocked()) {
					// as the reference: held briefly, so a client that completes the
					// upgrade at once finds its polling over (refused), and one that
					// waits for this poll gets a noop
					this.pendingPoll = sink;
					this.heldForUpgrade = true;
					scheduleRelease(sink);
				}
				else if (this.session.hasQueuedLocked()) {
					now = this.session.drainLocked();
				}
				else {
					this.pendingPoll = sink;
				}
			}
			if (error != null) {
				sink.error(error.exception());
			}
			else if (duplicate) {
				sink.error(EioError.BAD_REQUEST.exception());
				this.session.close(DisconnectReason.TRANSPORT_ERROR);
			}
			else if (now != null) {
				sink.success(now);
			}
			else {
				sink.onCancel(() -> forget(sink));
			}
		});
	}

	/**
	 * A polling POST starts; its packets go to {@link EioSession#receive}, then, once it
	 * is answered, {@link #endPost}. Overlapping POSTs break the protocol and close the
	 * session.
	 * @throws EioRequestException when the POST must be refused
	 */
	public void beginPost() {
		EioError error = null;
		boolean overlap = false;
		synchronized (this.session) {
			if (this.session.closedLocked()) {
				error = EioError.UNKNOWN_SID;
			}
			else if (this.session.transportLocked() != EioSession.Transport.POLLING || this.postInFlight) {
				error = EioError.BAD_REQUEST;
				overlap = this.postInFlight;
			}
			else {
				this.postInFlight = true;
			}
		}
		if (error != null) {
			if (overlap) {
				this.session.close(DisconnectReason.TRANSPORT_ERROR);
			}
			throw error.exception();
		}
	}

	public void endPost() {
		synchronized (this.session) {
			this.postInFlight = false;
		}
	}

	/** Whether a long-polling GET is waiting for packets. */
	public boolean pending() {
		synchronized (this.session) {
			return this.pendingPoll != null;
		}
	}

	/**
	 * The waiting GET, taken if there is something to answer it with and no probe holds
	 * it; null otherwise.
	 */
	@Nullable MonoSink<byte[]> takeIfAnswerableLocked() {
		if (this.pendingPoll == null || !this.session.hasQueuedLocked() || this.session.upgrade().probedLocked()) {
			return null;
		}
		return takeLocked();
	}

	/** The waiting GET, taken whatever there is; null if none. */
	@Nullable MonoSink<byte[]> takeLocked() {
		MonoSink<byte[]> poll = this.pendingPoll;
		this.pendingPoll = null;
		this.heldForUpgrade = false;
		return poll;
	}

	/** The probe answered "2probe": a waiting GET is held for the reference's check. */
	void holdForUpgradeLocked() {
		if (this.pendingPoll != null && !this.heldForUpgrade) {
			this.heldForUpgrade = true;
			scheduleRelease(this.pendingPoll);
		}
	}

	boolean heldForUpgradeLocked() {
		return this.heldForUpgrade;
	}

	/** The probe ended without an upgrade: a held GET waits as any other. */
	void unholdLocked() {
		this.heldForUpgrade = false;
	}

	private void scheduleRelease(MonoSink<byte[]> sink) {
		this.session.timer().schedule(() -> release(sink), UPGRADE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void release(MonoSink<byte[]> sink) {
		synchronized (this.session) {
			if (this.pendingPoll != sink || !this.heldForUpgrade) {
				return;
			}
			takeLocked();
		}
		sink.success(EioFrame.NOOP.bytes());
	}

	private void forget(MonoSink<byte[]> sink) {
		synchronized (this.session) {
			if (this.pendingPoll == sink) {
				this.pendingPoll = null;
				this.heldForUpgrade = false;
			}
		}
	}

}
