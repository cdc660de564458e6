package dev.agenthub.agentclient.outbound;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Output text of one tab or task, open for appends until it is sent, full, its linger
 * time passed, or another message was queued behind it. Guarded by the owning queue's
 * lock until it is polled; immutable after.
 */
public final class OutputChunk implements OutboundEntry {

	private static final int OVERHEAD = 64;

	private final ChunkKind kind;

	private final String key;

	private final String stream;

	private final boolean error;

	private final StringBuilder text;

	private final long deadlineNanos;

	private boolean open = true;

	OutputChunk(ChunkKind kind, String key, String stream, boolean error, String text, long deadlineNanos) {
		this.kind = kind;
		this.key = key;
		this.stream = stream;
		this.error = error;
		this.text = new StringBuilder(text);
		this.deadlineNanos = deadlineNanos;
	}

	boolean accepts(String stream, boolean error, int length, int maxChars) {
		return this.open && java.util.Objects.equals(this.stream, stream) && this.error == error
				&& this.text.length() + length <= maxChars;
	}

	void append(String more) {
		this.text.append(more);
	}

	void close() {
		this.open = false;
	}

	boolean isOpen() {
		return this.open;
	}

	long deadlineNanos() {
		return this.deadlineNanos;
	}

	int length() {
		return this.text.length();
	}

	String coalesceKey() {
		return this.kind.type() + '\u0000' + this.key;
	}

	@Override
	public int size() {
		return this.text.length() + OVERHEAD;
	}

	@Override
	public boolean lossy() {
		return true;
	}

	/**
	 * Encodes the chunk as a protocol message.
	 * @param mapper the JSON mapper
	 * @return the frame text
	 */
	public String encode(ObjectMapper mapper) {
		ObjectNode message = mapper.createObjectNode();
		message.put("type", this.kind.type());
		ObjectNode data = message.putObject("data");
		data.put(this.kind.keyField(), this.key);
		data.put(this.kind.textField(), this.text.toString());
		if (this.kind == ChunkKind.TAB_OUTPUT) {
			if (this.stream != null) {
				data.put("stream", this.stream);
			}
		}
		else {
			data.put("isError", this.error);
		}
		return mapper.writeValueAsString(message);
	}

}
