package dev.agenthub.bench.scenario;

import dev.agenthub.bench.metrics.Latency;

/** Event payloads that carry their send time. */
public final class Payloads {

	private Payloads() {
	}

	/**
	 * A publish-API {@code data} object of about {@code bytes} bytes:
	 * {@code {"ts":<µs>,"seq":<n>,"pad":"xxx"}}.
	 * @param bytes wanted size of the JSON object
	 * @param seq a sequence number
	 * @return the JSON
	 */
	public static String stamped(int bytes, long seq) {
		String head = "{\"ts\":" + Latency.nowMicros() + ",\"seq\":" + seq + ",\"pad\":\"";
		int pad = Math.max(0, bytes - head.length() - 2);
		return head + "x".repeat(pad) + "\"}";
	}

	/**
	 * An agent output chunk of {@code bytes} characters starting with {@code #<µs>;}.
	 * @param bytes chunk size
	 * @return the chunk
	 */
	public static String chunk(int bytes) {
		String head = "#" + Latency.nowMicros() + ";";
		return head + "x".repeat(Math.max(0, bytes - head.length()));
	}

}
