package dev.agenthub.gateway.subscription;

import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.Publication;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.EncodedEvent;

/**
 * One connection's place in one channel. While the subscription is being set up (the
 * reply and any recovered events not yet sent) live events are held, bounded; once
 * {@linkplain #activate activated}, events go out in offset order, never twice.
 */
public final class SubscriptionState {

	private final String channel;

	private final boolean implicit;

	private final int maxPending;

	private List<Publication> pending = new ArrayList<>();

	private boolean overflowed;

	private String epoch;

	private long lastOffset;

	public SubscriptionState(String channel, boolean implicit, int maxPending) {
		this.channel = channel;
		this.implicit = implicit;
		this.maxPending = maxPending;
	}

	public String channel() {
		return this.channel;
	}

	/**
	 * Whether the hub put the connection on this channel (not counted against its limit).
	 */
	public boolean implicit() {
		return this.implicit;
	}

	/**
	 * Delivers a live event (from the channel's fan-out, in offset order).
	 * @param session the connection
	 * @param event the event with its encodings, shared by all recipients
	 */
	synchronized void deliver(GatewaySession session, EncodedEvent event) {
		Publication publication = event.publication();
		if (this.pending != null) {
			if (this.pending.size() < this.maxPending) {
				this.pending.add(publication);
			}
			else {
				this.overflowed = true;
			}
			return;
		}
		if (publication.event().epoch().equals(this.epoch) && publication.offset() <= this.lastOffset) {
			return;
		}
		// a closed connection's event is not sent: its position (what a Socket.IO resume
		// record keeps) stays at the last one its transport took
		if (session.deliver(event)) {
			this.epoch = publication.event().epoch();
			this.lastOffset = publication.offset();
		}
	}

	/**
	 * Goes live once the subscription's opening (reply and recovered events) is queued:
	 * sends the live events held meanwhile that come after it.
	 * @param session the connection
	 * @param epoch the channel's epoch the opening is at
	 * @param offset the offset the opening ends at
	 * @return {@code false} when live events were lost while held (the caller resyncs)
	 */
	public synchronized boolean activate(GatewaySession session, String epoch, long offset) {
		this.epoch = epoch;
		this.lastOffset = offset;
		List<Publication> held = this.pending;
		this.pending = null;
		for (Publication publication : held) {
			if (publication.event().epoch().equals(epoch) && publication.offset() > this.lastOffset) {
				if (publication.offset() != this.lastOffset + 1) {
					return false;
				}
				if (!session.deliver(new EncodedEvent(publication))) {
					break; // closed: not sent, so not counted as sent
				}
				this.lastOffset = publication.offset();
			}
		}
		return !this.overflowed;
	}

	/** Moves the subscription to a new position (after a resync notice was sent). */
	synchronized void reset(String epoch, long offset) {
		this.epoch = epoch;
		this.lastOffset = offset;
	}

	/** The offset of the last event sent, with its epoch. */
	public synchronized String epoch() {
		return this.epoch;
	}

	public synchronized long lastOffset() {
		return this.lastOffset;
	}

}
