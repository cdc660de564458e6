package dev.agenthub.broker;

import java.util.ArrayDeque;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * Runs at most a given number of operations at once; the others wait in arrival order (in
 * memory, where nothing times out). Engine calls that come in crowds go through one, so
 * that they never fill the node's Redis connection until its other commands time out:
 * presence announcements (a sweep that finds the 10,000 users of a dead node offline
 * announces them all at the end of the same grace period) and recovery reads (after a
 * node dies, each of its clients resubscribes with {@code since} on the others, 10,000
 * history reads at once, of which hundreds timed out at 5 s).
 */
public final class Bounded {

	private final int max;

	private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

	private int running;

	public Bounded(int max) {
		this.max = max;
	}

	/**
	 * {@code work}, subscribed once fewer than the maximum run. Cancelled while it waits
	 * (its client left), it leaves the queue and never runs; cancelled while it runs, it
	 * is cancelled and frees its place.
	 */
	public <T> Mono<T> run(Mono<T> work) {
		return Mono.create((sink) -> {
			Disposable.Swap subscription = Disposables.swap();
			Runnable start = () -> subscription
				.update(work.doFinally((signal) -> release()).subscribe(sink::success, sink::error, sink::success));
			boolean queued;
			synchronized (this) {
				queued = this.running >= this.max;
				if (queued) {
					this.waiting.addLast(start);
				}
				else {
					this.running++;
				}
			}
			sink.onCancel(() -> {
				boolean dequeued;
				synchronized (this) {
					dequeued = this.waiting.remove(start);
				}
				if (!dequeued) {
					// running, or about to: a swap disposed first disposes what it gets
					subscription.dispose();
				}
			});
			if (!queued) {
				start.run();
			}
		});
	}

	private void release() {
		Runnable next;
		synchronized (this) {
			next = this.waiting.pollFirst();
			if (next == null) {
				this.running--;
			}
		}
		if (next != null) {
			next.run();
		}
	}

	/** Operations running now. */
	public synchronized int running() {
		return this.running;
	}

	/** Operations waiting. */
	public synchronized int waiting() {
		return this.waiting.size();
	}

}
