package dev.agenthub.gateway.subscription;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.EncodedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One channel on this node: its members and the one engine subscription they share.
 * Events are encoded once per protocol ({@link EncodedEvent}) and handed to every member.
 * A jump in offsets (the node missed events, e.g. while its Redis link was down) is
 * filled from history before anything later is delivered; when history cannot fill it, or
 * the epoch changed, members are told to resync ({@code recovered: false}). Nothing is
 * ever delivered out of order.
 */
final class ChannelFanout extends Members<GatewaySession, SubscriptionState> implements FanoutLanes.Channel {

	private static final AtomicIntegerFieldUpdater<ChannelFanout> LANED = AtomicIntegerFieldUpdater
		.newUpdater(ChannelFanout.class, "laned");

	private static final Logger logger = LoggerFactory.getLogger(ChannelFanout.class);

	private static final int MAX_HELD = 10_000;

	/** Events one catch-up reads at most; more come with the next event's gap fill. */
	private static final int CATCH_UP = 1_000;

	private final String channel;

	private final Broker broker;

	private final Resync resync;

	/** Events held while a gap is filled (rare): made then. */
	private ArrayDeque<Publication> held;

	private String epoch;

	private long lastOffset = -1;

	private boolean filling;

	/**
	 * Whether the node's subscription was lost and made again (its catch-up may wait its
	 * turn): a first event may then come after a gap.
	 */
	private boolean behind;

	private final GatewayMetrics metrics;

	/** Events of the channel in its fan-out lane ({@link FanoutLanes}). */
	private volatile int laned;

	/** The engine subscription's outcome (set once, as the hub makes the fan-out). */
	private Mono<Disposable> registration;

	ChannelFanout(String channel, Broker broker, Resync resync, GatewayMetrics metrics) {
		this.channel = channel;
		this.broker = broker;
		this.resync = resync;
		this.metrics = metrics;
	}

	Mono<Disposable> registration() {
		return this.registration;
	}

	void registration(Mono<Disposable> registration) {
		this.registration = registration;
	}

	@Override
	public int members() {
		return size();
	}

	@Override
	public int laned() {
		return this.laned;
	}

	@Override
	public void addLaned(int delta) {
		LANED.addAndGet(this, delta);
	}

	@Override
	public synchronized void accept(Publication publication) {
		if (this.filling) {
			if (held().size() < MAX_HELD) {
				this.held.add(publication);
			}
			return;
		}
		String eventEpoch = publication.event().epoch();
		if (this.epoch == null && !(this.behind && startAtMembers())) {
			// the first event: each member checks it against its own opening
			advance(publication);
			return;
		}
		if (!eventEpoch.equals(this.epoch)) {
			this.epoch = eventEpoch;
			this.lastOffset = publication.offset() - 1;
			resyncAll(eventEpoch, this.lastOffset);
			advance(publication);
			return;
		}
		if (publication.offset() <= this.lastOffset) {
			return;
		}
		if (publication.offset() == this.lastOffset + 1) {
			advance(publication);
			return;
		}
		fill(publication);
	}

	/**
	 * The node's engine subscription was made again after it was lost: whatever was
	 * published meanwhile reached the history only, and the channel may stay quiet, so no
	 * jump in offsets would show it. Read the history after the last event handed out and
	 * hand out what it has — or, when the channel restarted at a new epoch or the history
	 * no longer reaches back, tell members to resync.
	 */
	@Override
	public Mono<Void> catchUp() {
		synchronized (this) {
			this.behind = true;
		}
		return Mono.defer(() -> {
			long from;
			synchronized (this) {
				if (this.filling || (this.epoch == null && !startAtMembers())) {
					// a fill reads the history anyway; no member placed yet: none missed
					return Mono.empty();
				}
				this.filling = true;
				from = this.lastOffset;
			}
			// a failed read hands out what was held meanwhile; the engine tries again
			return this.broker.history(this.channel, from, CATCH_UP)
				.doOnSuccess(this::caughtUp)
				.doOnError((ex) -> catchUpFailed())
				.then();
		});
	}

	/**
	 * The catch-up could not read (the engine tries again): what came meanwhile is handed
	 * out as it would have been, a gap in it filled from history.
	 */
	private synchronized void catchUpFailed() {
		this.filling = false;
		release();
	}

	private synchronized void caughtUp(History history) {
		if (history == null) {
			catchUpFailed();
			return;
		}
		String epoch = history.position().epoch();
		long offset = history.position().offset();
		if (!epoch.equals(this.epoch) || (offset > this.lastOffset && !history.coversFrom(this.lastOffset))) {
			// restarted at a new epoch, or the history no longer reaches back
			this.epoch = epoch;
			this.lastOffset = offset;
			resyncAll(epoch, offset);
			filled(null);
			return;
		}
		filled(history);
	}

	/**
	 * Nothing was handed out yet, so the fan-out has no position of its own: it starts at
	 * the earliest of its members' (each where its subscription opened), so that what was
	 * published after that reaches every member — after a lost subscription, a first
	 * event past it is a gap to fill (events published while the node's link was down),
	 * not where to start. (Not before: members whose openings are still under way are not
	 * counted and may be behind that.)
	 * @return {@code false} when no member has a position yet
	 */
	private boolean startAtMembers() {
		String[] epochs = new String[1];
		long[] offsets = { Long.MAX_VALUE };
		forEachMember((session, state) -> {
			String memberEpoch = state.epoch();
			if (memberEpoch != null && (epochs[0] == null || epochs[0].equals(memberEpoch))) {
				epochs[0] = memberEpoch;
				offsets[0] = Math.min(offsets[0], state.lastOffset());
			}
		});
		if (epochs[0] == null) {
			return false;
		}
		this.epoch = epochs[0];
		this.lastOffset = offsets[0];
		return true;
	}

	private void advance(Publication publication) {
		this.epoch = publication.event().epoch();
		this.lastOffset = publication.offset();
		EncodedEvent event = new EncodedEvent(publication);
		forEachMember((session, state) -> state.deliver(session, event));
		this.metrics.delivered(publication.event().timestamp());
	}

	private void fill(Publication next) {
		this.filling = true;
		held().addFirst(next);
		long from = this.lastOffset;
		int missing = (int) Math.min(Integer.MAX_VALUE, next.offset() - from - 1);
		logger.debug("Gap on {}: filling {} events after {}", this.channel, missing, from);
		this.broker.history(this.channel, from, missing).subscribe(this::filled, (ex) -> filled(null));
	}

	private synchronized void filled(History history) {
		this.filling = false;
		if (history != null && history.position().epoch().equals(this.epoch) && history.coversFrom(this.lastOffset)) {
			for (Publication publication : history.events()) {
				if (publication.offset() == this.lastOffset + 1) {
					advance(publication);
				}
			}
		}
		Publication first = (this.held != null) ? this.held.peek() : null;
		if (first != null && first.event().epoch().equals(this.epoch) && first.offset() > this.lastOffset + 1) {
			// The gap could not be filled: members start again from here.
			this.lastOffset = first.offset() - 1;
			resyncAll(this.epoch, this.lastOffset);
		}
		release();
	}

	/**
	 * Hands out what was held while the history was read. An event accepted here may
	 * start another fill, which may end (synchronously) inside this loop.
	 */
	private void release() {
		while (!this.filling && this.held != null && !this.held.isEmpty()) {
			accept(this.held.poll());
		}
		if (!this.filling && this.held != null && this.held.isEmpty()) {
			this.held = null;
		}
	}

	/** The events held while a gap is filled, made on first use. */
	private ArrayDeque<Publication> held() {
		if (this.held == null) {
			this.held = new ArrayDeque<>();
		}
		return this.held;
	}

	private void resyncAll(String epoch, long offset) {
		forEachMember((session, state) -> {
			state.reset(epoch, offset);
			this.resync.notify(session, this.channel, epoch, offset);
		});
	}

	/** Tells a member its subscription restarted at a new position without recovery. */
	interface Resync {

		void notify(GatewaySession session, String channel, String epoch, long offset);

	}

}
