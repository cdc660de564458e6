package dev.agenthub.support.connection;

import java.util.function.Function;

import dev.agenthub.broker.Publication;

/**
 * One publication's wire forms, each made on first use and then shared by every
 * recipient: one per {@link Dialect} in use and one for Socket.IO. The fan-out hands all
 * members of a channel the same instance, so an event is encoded once per publish per
 * dialect, never once per recipient. Used by one thread at a time (a channel's fan-out
 * delivers serially).
 */
public final class EncodedEvent {

	private static final int OTHER = Dialect.values().length;

	private final Publication publication;

	private final Object[] forms = new Object[OTHER + 1];

	public EncodedEvent(Publication publication) {
		this.publication = publication;
	}

	public Publication publication() {
		return this.publication;
	}

	/** The event as a dialect's UTF-8 text frame. */
	public byte[] text(Dialect dialect) {
		Object form = this.forms[dialect.ordinal()];
		if (form == null) {
			form = dialect.event(this.publication);
			this.forms[dialect.ordinal()] = form;
		}
		return (byte[]) form;
	}

	/**
	 * The frame of another protocol (Socket.IO), made by {@code encoder} on first use and
	 * shared after that. One publication is only ever encoded for one other protocol per
	 * node.
	 * @param <T> the frame type
	 * @param type the frame type
	 * @param encoder makes the frame from the publication
	 * @return the frame
	 */
	public <T> T encoded(Class<T> type, Function<Publication, T> encoder) {
		Object form = this.forms[OTHER];
		if (!type.isInstance(form)) {
			form = encoder.apply(this.publication);
			this.forms[OTHER] = form;
		}
		return type.cast(form);
	}

	/** About how many bytes the event takes on the wire (its hub JSON). */
	public int size() {
		return this.publication.json().length();
	}

}
