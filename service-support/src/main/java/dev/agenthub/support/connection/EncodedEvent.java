package dev.agenthub.support.connection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;

import dev.agenthub.broker.Publication;

/**
 * One publication's wire forms, each made on first use and then shared by every
 * recipient: one per {@link Dialect} in use and one for Socket.IO. The forms live with
 * the {@link Publication} ({@link Publication#attachment}), which a node hands every
 * recipient of the event — the members of a channel live, and every client a shared
 * history read resumes — so an event is encoded once per dialect per node, never once per
 * recipient. Safe on any thread: recipients of one replay read on different event loops.
 */
public final class EncodedEvent {

	private static final int OTHER = Dialect.values().length;

	private static final VarHandle FORM = MethodHandles.arrayElementVarHandle(Object[].class);

	private final Publication publication;

	private final Object[] forms;

	public EncodedEvent(Publication publication) {
		this.publication = publication;
		this.forms = publication.attachment(() -> new Object[OTHER + 1]);
	}

	public Publication publication() {
		return this.publication;
	}

	/** The event as a dialect's UTF-8 text frame. */
	public byte[] text(Dialect dialect) {
		return (byte[]) form(dialect.ordinal(), dialect::event);
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
		Object form = form(OTHER, encoder);
		// another protocol's form in the slot: encode, but keep the first
		return type.isInstance(form) ? type.cast(form) : encoder.apply(this.publication);
	}

	/** About how many bytes the event takes on the wire (its hub JSON). */
	public int size() {
		return this.publication.json().length();
	}

	/**
	 * The form in {@code slot}, made on first use; callers racing on it all get the first
	 * one stored.
	 */
	private Object form(int slot, Function<Publication, ?> make) {
		Object form = FORM.getVolatile(this.forms, slot);
		if (form == null) {
			Object made = make.apply(this.publication);
			form = FORM.compareAndExchange(this.forms, slot, null, made);
			if (form == null) {
				return made;
			}
		}
		return form;
	}

}
