package dev.agenthub.broker;

import java.util.List;

/**
 * Events of a channel after some offset, as far as the engine's bounded history window
 * holds them.
 *
 * @param position the channel's epoch and latest offset when the history was read
 * @param events the events after the requested offset, in order; possibly only a suffix
 * of them when the window no longer holds the oldest (see {@link #coversFrom(long)})
 */
public record History(StreamPosition position, List<Publication> events) {

	/**
	 * Whether these events are exactly all events after {@code since} up to
	 * {@link #lastOffset()}, with nothing missing at the start.
	 * @param since the offset the caller asked from
	 * @return whether the window covered the request
	 */
	public boolean coversFrom(long since) {
		if (this.events.isEmpty()) {
			return since >= this.position.offset();
		}
		return this.events.get(0).offset() == since + 1;
	}

	/** The offset of the last event returned, or of the position when none. */
	public long lastOffset() {
		return this.events.isEmpty() ? this.position.offset() : this.events.get(this.events.size() - 1).offset();
	}

}
