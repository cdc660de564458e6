package dev.agenthub.agentclient.outbound;

/**
 * One element of the {@link OutboundQueue}.
 */
public sealed interface OutboundEntry permits OutboundEntry.Encoded, OutputChunk, OutboundEntry.CloseMarker {

	/**
	 * Approximate size in bytes, for the queue's byte bound.
	 * @return the size
	 */
	int size();

	/**
	 * Whether the entry may be dropped to make room for one that must not be lost.
	 * @return {@code true} for lossy entries
	 */
	boolean lossy();

	/**
	 * A message already encoded to its JSON text (encoded once, at publish time).
	 *
	 * @param json the frame's text
	 * @param lossy whether it may be dropped under pressure
	 */
	record Encoded(String json, boolean lossy) implements OutboundEntry {

		@Override
		public int size() {
			return this.json.length();
		}

	}

	/**
	 * Marks the end of the stream: after everything before it is sent the connection is
	 * closed normally.
	 */
	record CloseMarker() implements OutboundEntry {

		@Override
		public int size() {
			return 0;
		}

		@Override
		public boolean lossy() {
			return false;
		}

	}

}
