package dev.agenthub.gateway.subscription;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs big channels' fan-out off the engine's I/O thread: each channel is bound to one of
 * a few single-threaded lanes (by its name's hash), so a channel's events are still
 * handed out one at a time in engine order, while different channels and the engine's own
 * I/O use the other cores. A channel of a few members is handed its events on the
 * engine's thread, which costs less than the hop. Each lane's queue is bounded; an event
 * that finds it full is dropped here and the channel's gap detection fills it from
 * history when the next one arrives, so an overloaded node slows down instead of growing
 * without bound.
 */
final class FanoutLanes implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(FanoutLanes.class);

	/**
	 * Channels with at most this many members here get their events on the engine's
	 * thread, not a lane's (handing one out costs a queue offer per member).
	 */
	static final int INLINE_MEMBERS = 16;

	private final ThreadPoolExecutor[] lanes;

	FanoutLanes(int count, int queueBound) {
		this.lanes = new ThreadPoolExecutor[count];
		AtomicInteger ids = new AtomicInteger();
		for (int i = 0; i < count; i++) {
			this.lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueBound),
					(task) -> {
						Thread thread = new Thread(task, "hub-fanout-" + ids.incrementAndGet());
						thread.setDaemon(true);
						return thread;
					});
		}
	}

	/**
	 * A listener that hands a channel's events to its members: on the engine's thread
	 * while the channel is small and nothing of it waits in its lane (one thread hop
	 * fewer for an agent's few watchers), else through its lane. Either way in engine
	 * order: the engine calls a channel's listener one event at a time, and it runs an
	 * event itself only when every event before it was handed out. Handing out never
	 * blocks: each member's outbound queue takes the frame or closes its slow reader.
	 */
	Broker.CatchUpListener listener(String channel, Channel fanout) {
		ThreadPoolExecutor lane = this.lanes[Math.floorMod(channel.hashCode(), this.lanes.length)];
		return new Broker.CatchUpListener() {

			@Override
			public void accept(Publication publication) {
				if (fanout.laned() == 0 && fanout.members() <= INLINE_MEMBERS) {
					fanout.accept(publication);
					return;
				}
				fanout.addLaned(1);
				try {
					lane.execute(() -> {
						try {
							fanout.accept(publication);
						}
						finally {
							fanout.addLaned(-1);
						}
					});
				}
				catch (RejectedExecutionException ex) {
					fanout.addLaned(-1);
					logger.debug("Fan-out lane full; {} offset {} is left to gap filling", channel,
							publication.offset());
				}
			}

			@Override
			public Mono<Void> catchUp() {
				// only a history read: no need for the lane
				return fanout.catchUp();
			}

		};
	}

	/** A channel's fan-out, as its lane sees it. */
	interface Channel extends Consumer<Publication> {

		/** Members on this node now. */
		int members();

		/** The channel's events in its lane now, waiting or running. */
		int laned();

		/** Adds {@code delta} to {@link #laned()}, atomically. */
		void addLaned(int delta);

		/**
		 * Reads what was published since the last event handed out
		 * ({@link Broker.CatchUpListener#catchUp()}); nothing by default.
		 * @return the read, done when subscribed to
		 */
		default Mono<Void> catchUp() {
			return Mono.empty();
		}

	}

	@Override
	public void close() {
		for (ThreadPoolExecutor lane : this.lanes) {
			lane.shutdownNow();
		}
	}

}
