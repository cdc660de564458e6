package dev.agenthub.gateway.subscription;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import dev.agenthub.broker.Publication;

/**
 * One publication's wire forms, each made lazily on first use and then shared by every
 * recipient: the raw protocol's UTF-8 JSON, and one other protocol's frame (Socket.IO).
 * Used by one thread at a time (a channel's fan-out delivers serially).
 */
public final class EncodedFrames {

	private final Publication publication;

	private byte[] raw;

	private Object other;

	public EncodedFrames(Publication publication) {
		this.publication = publication;
	}

	/** The raw-protocol frame (the event's JSON as UTF-8). */
	public byte[] raw() {
		if (this.raw == null) {
			this.raw = this.publication.json().getBytes(StandardCharsets.UTF_8);
		}
		return this.raw;
	}

	/**
	 * The frame of another protocol, made by {@code encoder} on first use and shared
	 * after that. One publication is only ever encoded for one other protocol per node.
	 * @param <T> the frame type
	 * @param type the frame type
	 * @param encoder makes the frame from the publication
	 * @return the frame
	 */
	public <T> T encoded(Class<T> type, Function<Publication, T> encoder) {
		if (!type.isInstance(this.other)) {
			this.other = encoder.apply(this.publication);
		}
		return type.cast(this.other);
	}

}
