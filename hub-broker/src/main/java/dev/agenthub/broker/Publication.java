package dev.agenthub.broker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

import dev.agenthub.contracts.event.HubEvent;
import org.jspecify.annotations.Nullable;

/**
 * A published event together with its raw-protocol JSON, encoded once per publish so that
 * no recipient encodes it again.
 * <p>
 * One instance reaches every recipient of a node that gets the event, live or replayed (a
 * history read shared by many resuming clients hands them all the same instances), so it
 * also carries what the layers above derive from it once for all of them — their wire
 * forms — in {@link #attachment(Supplier)}.
 */
public final class Publication {

	private static final VarHandle ATTACHMENT;

	static {
		try {
			ATTACHMENT = MethodHandles.lookup().findVarHandle(Publication.class, "attachment", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final HubEvent event;

	private final String json;

	@SuppressWarnings("unused") // through ATTACHMENT
	private volatile @Nullable Object attachment;

	/**
	 * @param event the event
	 * @param json {@code event} in its raw-protocol JSON form
	 */
	public Publication(HubEvent event, String json) {
		this.event = event;
		this.json = json;
	}

	/** The event. */
	public HubEvent event() {
		return this.event;
	}

	/** The event in its raw-protocol JSON form. */
	public String json() {
		return this.json;
	}

	/** The event's offset in its channel. */
	public long offset() {
		return this.event.offset();
	}

	/**
	 * What the layer above keeps with this publication (its wire forms), made by
	 * {@code make} on first use. Safe on any thread: callers racing on the first use may
	 * each make one, but all of them get the same, first stored, instance.
	 * @param <T> its type; one layer owns the slot, so every caller passes the same type
	 * @param make makes it
	 * @return the attachment
	 */
	@SuppressWarnings("unchecked")
	public <T> T attachment(Supplier<T> make) {
		Object current = ATTACHMENT.getAcquire(this);
		if (current == null) {
			T made = make.get();
			current = ATTACHMENT.compareAndExchange(this, null, made);
			if (current == null) {
				return made;
			}
		}
		return (T) current;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Publication that && this.event.equals(that.event) && this.json.equals(that.json);
	}

	@Override
	public int hashCode() {
		return 31 * this.event.hashCode() + this.json.hashCode();
	}

	@Override
	public String toString() {
		return "Publication[" + this.json + "]";
	}

}
