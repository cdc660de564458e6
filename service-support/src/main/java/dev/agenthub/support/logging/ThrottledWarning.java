package dev.agenthub.support.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A warning about one of many alike items (a user's presence, a connection's step) that
 * is logged at most once per interval, with how many more like it were left out: when the
 * engine dies under 10,000 connections, the log says so in a few lines instead of 10,000
 * (which also cost the event loops their time). Each left-out occurrence still counts.
 */
public final class ThrottledWarning {

	private final Logger logger;

	private final long intervalNanos;

	private final LongSupplier clock;

	/** When the next warning may be logged (nanoTime). */
	private final AtomicLong nextAt;

	private final AtomicLong leftOut = new AtomicLong();

	/**
	 * @param logger where the warnings go
	 * @param interval at most one warning per interval
	 */
	public ThrottledWarning(Logger logger, Duration interval) {
		this(logger, interval, System::nanoTime);
	}

	ThrottledWarning(Logger logger, Duration interval, LongSupplier clock) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
		this.clock = clock;
		this.nextAt = new AtomicLong(clock.getAsLong());
	}

	/**
	 * Logs {@code format} with {@code args} at WARN unless one was logged within the
	 * interval; the next one logged says how many were left out meanwhile.
	 * @param format an SLF4J message pattern
	 * @param args its arguments
	 */
	public void warn(String format, Object... args) {
		long now = this.clock.getAsLong();
		long next = this.nextAt.get();
		if (now - next < 0 || !this.nextAt.compareAndSet(next, now + this.intervalNanos)) {
			this.leftOut.incrementAndGet();
			return;
		}
		long skipped = this.leftOut.getAndSet(0);
		if (skipped == 0) {
			this.logger.warn(format, args);
			return;
		}
		Object[] withCount = Arrays.copyOf(args, args.length + 1);
		withCount[args.length] = skipped;
		this.logger.warn(format + " ({} more like it left out of the log)", withCount);
	}

	/** Occurrences left out since the last one logged (for tests). */
	long leftOut() {
		return this.leftOut.get();
	}

}
