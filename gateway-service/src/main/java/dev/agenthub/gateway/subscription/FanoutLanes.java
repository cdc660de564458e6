package dev.agenthub.gateway.subscription;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs channels' fan-out off the engine's I/O thread: each channel is bound to one of a
 * few single-threaded lanes (by its name's hash), so a channel's events are still handed
 * out one at a time in engine order, while different channels and the engine's own I/O
 * use the other cores. Each lane's queue is bounded; an event that finds it full is
 * dropped here and the channel's gap detection fills it from history when the next one
 * arrives, so an overloaded node slows down instead of growing without bound.
 */
final class FanoutLanes implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(FanoutLanes.class);

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

	/** A listener that hands a channel's events to its lane. */
	Consumer<Publication> listener(String channel, Consumer<Publication> fanout) {
		ThreadPoolExecutor lane = this.lanes[Math.floorMod(channel.hashCode(), this.lanes.length)];
		return (publication) -> {
			try {
				lane.execute(() -> fanout.accept(publication));
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Fan-out lane full; {} offset {} is left to gap filling", channel, publication.offset());
			}
		};
	}

	@Override
	public void close() {
		for (ThreadPoolExecutor lane : this.lanes) {
			lane.shutdownNow();
		}
	}

}
