package dev.agenthub.broadcast.log;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The stamps of the logs' clocks ({@code hub_event_clock}, {@code hub_change_clock}): a
 * writer holding the clock's row lock stamps its rows after the previous stamp, so stamps
 * are unique and increase in commit order whatever the writers' clocks say. Stamps are
 * whole microseconds, as the databases keep them.
 */
public final class LogClock {

	/** The clock's step: its stamps are whole microseconds. */
	public static final ChronoUnit STEP = ChronoUnit.MICROS;

	private LogClock() {
	}

	/**
	 * The first stamp after {@code last}: now, or just after {@code last} if the clock is
	 * behind, and no earlier than {@code notBefore}.
	 * @param last the clock's previous stamp
	 * @param notBefore the earliest stamp wanted (the newest row's own time)
	 */
	public static Instant next(Instant last, Instant notBefore) {
		Instant next = Instant.now().truncatedTo(STEP);
		Instant after = last.plus(1, STEP);
		if (after.isAfter(next)) {
			next = after;
		}
		Instant floor = notBefore.truncatedTo(STEP);
		return floor.isAfter(next) ? floor : next;
	}

}
