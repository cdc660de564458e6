package dev.agenthub.agent.upload;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A deadline on a request body that counts only the time the hub waits for the client's
 * bytes, so that a client cannot hold an upload slot by sending its body slowly or not at
 * all.
 * <p>
 * The clock runs while the hub has asked for more of the body (demand outstanding) and
 * stands still while it has not: an upload holding the body back — while the agent
 * acknowledges pieces, for as long as {@code hub.upload.ack-timeout} — costs the client
 * nothing (the upload asks for a few pieces ahead; once they have arrived and it waits
 * for the agent, it asks for none). Checked every {@link #tick tick} (a quarter of
 * {@code idle}, at most a second), the body fails with {@code 408 request_timeout} when:
 * <ol>
 * <li><b>idle:</b> the hub has waited {@code idle} since the client's last bytes (or
 * since it last asked, had it nothing outstanding), or</li>
 * <li><b>rate:</b> the bytes received in a period of {@code idle} waited (give or take a
 * tick) fall under {@code minRate} per second of it (0: no such rule). The periods follow
 * one another, each judged on its own bytes: a byte sent just before each idle period
 * ends is not enough, nor is a burst early that would pay, on average, for a trickle
 * after.</li>
 * </ol>
 * Nothing is buffered here: the body's items pass as the consumer asks for them; on
 * failure the body is cancelled (its source releases what it holds) and the upload fails
 * as any other, giving back its slots.
 */
final class BodyPace {

	private static final Duration MAX_TICK = Duration.ofSeconds(1);

	private static final Duration MIN_TICK = Duration.ofMillis(10);

	private final Duration idle;

	private final long minRate;

	private final LongSupplier clock;

	/** Items asked for and not yet received ({@link Long#MAX_VALUE}: unbounded). */
	private long outstanding;

	/** Nanoseconds: when the current wait (demand outstanding) began. */
	private long waitingSince;

	/** Nanoseconds: the client's last bytes, or the beginning of the current wait. */
	private long idleSince;

	/** Nanoseconds waited before the current wait. */
	private long waited;

	private long bytes;

	/** Nanoseconds waited, and bytes received, when the current rate period began. */
	private long windowStartWaited;

	private long windowStartBytes;

	private boolean completed;

	/** Why the body failed, once it did. */
	private ContractViolation violation;

	private BodyPace(Duration idle, long minRate, LongSupplier clock) {
		this.idle = idle;
		this.minRate = minRate;
		this.clock = clock;
	}

	/**
	 * A body under the upload's deadline ({@code hub.upload.body-idle},
	 * {@code hub.upload.body-min-rate}), checked on the parallel scheduler.
	 * @param body what the client sends
	 * @param size the bytes of one item
	 * @param properties the deadline
	 */
	static <T> Flux<T> watch(Flux<T> body, ToIntFunction<? super T> size, UploadProperties properties) {
		return watch(body, size, properties.bodyIdle(), properties.bodyMinRate().toBytes(), Schedulers.parallel(),
				System::nanoTime);
	}

	/**
	 * A body under a deadline.
	 * @param body what the client sends
	 * @param size the bytes of one item
	 * @param idle the longest the hub waits for the client's next bytes
	 * @param minRate bytes a second the client sends at least on average, once the hub
	 * has waited {@code idle}; 0 for no such rule
	 * @param scheduler where the pace is checked
	 * @param clock nanoseconds
	 */
	static <T> Flux<T> watch(Flux<T> body, ToIntFunction<? super T> size, Duration idle, long minRate,
			Scheduler scheduler, LongSupplier clock) {
		return Flux.defer(() -> {
			BodyPace pace = new BodyPace(idle, minRate, clock);
			Flux<Long> stalled = Flux.interval(tick(idle), scheduler).filter((tick) -> pace.check() != null);
			// A stall cancels the body (takeUntilOther; an error of the other publisher
			// would end the upload but leave the body subscribed), then fails it.
			return body.doOnRequest(pace::requested)
				.doOnNext((item) -> pace.received(size.applyAsInt(item)))
				.doOnComplete(pace::completed)
				.takeUntilOther(stalled)
				.concatWith(Flux.defer(pace::verdict));
		});
	}

	/** How often a body's pace is checked. */
	static Duration tick(Duration idle) {
		Duration quarter = idle.dividedBy(4);
		return (quarter.compareTo(MAX_TICK) > 0) ? MAX_TICK : (quarter.compareTo(MIN_TICK) < 0) ? MIN_TICK : quarter;
	}

	private synchronized void requested(long n) {
		if (this.outstanding == 0) {
			long now = this.clock.getAsLong();
			this.waitingSince = now;
			this.idleSince = now;
		}
		this.outstanding = (this.outstanding + n < 0) ? Long.MAX_VALUE : this.outstanding + n;
	}

	private synchronized void received(int size) {
		long now = this.clock.getAsLong();
		this.bytes += size;
		this.idleSince = now;
		if (this.outstanding > 0 && this.outstanding != Long.MAX_VALUE && --this.outstanding == 0) {
			this.waited += now - this.waitingSince;
		}
	}

	private synchronized void completed() {
		this.completed = true;
	}

	/** The body's end: its failure, if it failed. */
	private synchronized <T> Flux<T> verdict() {
		return (this.violation != null) ? Flux.error(this.violation) : Flux.empty();
	}

	/** Why the body fails now (then kept as its verdict), or {@code null}. */
	private synchronized ContractViolation check() {
		if (this.violation == null && !this.completed && this.outstanding > 0) {
			this.violation = violation(this.clock.getAsLong());
		}
		return this.violation;
	}

	private ContractViolation violation(long now) {
		long idleNanos = this.idle.toNanos();
		if (now - this.idleSince >= idleNanos) {
			return new ContractViolation(ErrorCode.REQUEST_TIMEOUT,
					"the client sent no bytes of the body for " + format(this.idle)
							+ " while the hub waited for them (hub.upload.body-idle); the upload is cancelled");
		}
		long waitedNanos = this.waited + (now - this.waitingSince);
		long windowNanos = waitedNanos - this.windowStartWaited;
		if (this.minRate <= 0 || windowNanos < idleNanos) {
			return null;
		}
		long windowBytes = this.bytes - this.windowStartBytes;
		if (windowBytes < (double) this.minRate * windowNanos / TimeUnit.SECONDS.toNanos(1)) {
			return new ContractViolation(ErrorCode.REQUEST_TIMEOUT,
					"the client sent " + windowBytes + " bytes of the body in "
							+ String.format(Locale.ROOT, "%.1fs", windowNanos / 1e9)
							+ " of waiting, below the minimum of " + this.minRate
							+ " bytes/s (hub.upload.body-min-rate); the upload is cancelled");
		}
		// the next period of waiting must carry its own bytes: what came early does
		// not pay for a trickle later
		this.windowStartWaited = waitedNanos;
		this.windowStartBytes = this.bytes;
		return null;
	}

	/** {@code 30s}, {@code 1500ms}. */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
