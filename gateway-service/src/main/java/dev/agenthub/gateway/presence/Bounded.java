package dev.agenthub.gateway.presence;

import java.util.ArrayDeque;

import reactor.core.publisher.Mono;

/**
 * Runs at most a given number of operations at once; the others wait in arrival order.
 * Presence announcements go through one: a sweep that finds the 10,000 users of a dead
 * node offline announces them all at the end of the same grace period, and 10,000 engine
 * round trips at once filled the node's Redis connection until its other commands
 * (publishes through the API among them) timed out.
 */
final class Bounded {

	private final int max;

	private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

	private int running;

	Bounded(int max) {
		this.max = max;
	}

	/** {@code work}, subscribed once fewer than the maximum run. */
	<T> Mono<T> run(Mono<T> work) {
		return Mono.create((sink) -> {
			Runnable start = () -> work.doFinally((signal) -> release())
				.subscribe(sink::success, sink::error, sink::success);
			synchronized (this) {
				if (this.running >= this.max) {
					this.waiting.addLast(start);
					return;
				}
				this.running++;
			}
			start.run();
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

	/** Operations running now (for tests). */
	synchronized int running() {
		return this.running;
	}

	/** Operations waiting (for tests). */
	synchronized int waiting() {
		return this.waiting.size();
	}

}
