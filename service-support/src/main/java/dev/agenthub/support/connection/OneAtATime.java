package dev.agenthub.support.connection;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Handles a connection's frames one at a time, in order: the next is requested only once
 * the handling of the one before has completed, so a connection's messages never overlap
 * and its transport stops reading (TCP pushes back) while one is being handled. Completes
 * when the frames end and the last handling completed; the first error (of the frames or
 * of a handling) ends it and cancels the rest.
 * <p>
 * What {@code concatMap(handle, 1)} does, minus what it keeps: its inner subscriber holds
 * the last handling's operator chain — and with it the last frame, its text and what was
 * decoded of it — until the next frame, which for an idle connection is its whole life (a
 * few hundred bytes per connection, docs/benchmarks.md, eleventh pass). Here a handling
 * is forgotten as it completes.
 *
 * @param <T> the frame type
 */
final class OneAtATime<T> extends Mono<Void> {

	private final Publisher<T> frames;

	private final Function<T, Mono<Void>> handle;

	private OneAtATime(Publisher<T> frames, Function<T, Mono<Void>> handle) {
		this.frames = frames;
		this.handle = handle;
	}

	/**
	 * @param frames the connection's frames
	 * @param handle what handles one (called on the thread that delivers it)
	 * @return completion of the frames and of their handling
	 */
	static <T> Mono<Void> handle(Publisher<T> frames, Function<T, Mono<Void>> handle) {
		return new OneAtATime<>(frames, handle);
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		this.frames.subscribe(new Main<>(actual, this.handle));
	}

	private static final class Main<T> implements CoreSubscriber<T>, Subscription {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Main> ASKING = AtomicIntegerFieldUpdater.newUpdater(Main.class,
				"asking");

		private final CoreSubscriber<? super Void> actual;

		private final Function<T, Mono<Void>> handle;

		private Subscription upstream;

		/** The handling under way, or {@code null}; guarded by {@code this}. */
		private Handling current;

		private boolean framesDone;

		private boolean finished;

		/** Requests for the next frame not yet made (see {@link #next}). */
		private volatile int asking;

		Main(CoreSubscriber<? super Void> actual, Function<T, Mono<Void>> handle) {
			this.actual = actual;
			this.handle = handle;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
				next();
			}
		}

		/**
		 * Asks for the next frame — in a loop, not from inside the frame before: a source
		 * may deliver synchronously within the request, and a frame handled at once would
		 * then ask again one level deeper, one stack frame per buffered frame.
		 */
		private void next() {
			if (ASKING.getAndIncrement(this) != 0) {
				return;
			}
			do {
				this.upstream.request(1);
			}
			while (ASKING.decrementAndGet(this) != 0);
		}

		@Override
		public void onNext(T frame) {
			Mono<Void> work;
			try {
				work = this.handle.apply(frame);
			}
			catch (Throwable ex) {
				this.upstream.cancel();
				onError(ex);
				return;
			}
			Handling handling = new Handling(this);
			synchronized (this) {
				if (this.finished) {
					return;
				}
				this.current = handling;
			}
			work.subscribe(handling);
		}

		/** A handling ended: the next frame, or the end. */
		void handled(Handling handling, Throwable error) {
			boolean complete = false;
			synchronized (this) {
				if (this.current != handling || this.finished) {
					return;
				}
				this.current = null;
				if (error != null || this.framesDone) {
					this.finished = true;
					complete = (error == null);
				}
			}
			if (error != null) {
				this.upstream.cancel();
				this.actual.onError(error);
			}
			else if (complete) {
				this.actual.onComplete();
			}
			else {
				next();
			}
		}

		@Override
		public void onError(Throwable error) {
			Handling handling;
			synchronized (this) {
				if (this.finished) {
					Operators.onErrorDropped(error, currentContext());
					return;
				}
				this.finished = true;
				handling = this.current;
				this.current = null;
			}
			if (handling != null) {
				handling.dispose();
			}
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			synchronized (this) {
				if (this.finished) {
					return;
				}
				this.framesDone = true;
				if (this.current != null) {
					return; // completes when the handling does
				}
				this.finished = true;
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			// completion only: nothing to emit
		}

		@Override
		public void cancel() {
			Handling handling;
			synchronized (this) {
				this.finished = true;
				handling = this.current;
				this.current = null;
			}
			this.upstream.cancel();
			if (handling != null) {
				handling.dispose();
			}
		}

	}

	/** One frame's handling; nothing references it once it ended. */
	private static final class Handling extends BaseSubscriber<Void> {

		private final Main<?> main;

		Handling(Main<?> main) {
			this.main = main;
		}

		@Override
		public Context currentContext() {
			return this.main.currentContext();
		}

		@Override
		protected void hookOnComplete() {
			this.main.handled(this, null);
		}

		@Override
		protected void hookOnError(Throwable error) {
			this.main.handled(this, error);
		}

	}

}
