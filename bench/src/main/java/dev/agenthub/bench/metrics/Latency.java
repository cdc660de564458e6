package dev.agenthub.bench.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.AtomicHistogram;

/**
 * A latency histogram in microseconds (1 µs to 120 s, 3 significant digits), safe for
 * concurrent recording from event-loop threads. Latency is the receive wall-clock time
 * minus the send wall-clock time embedded by the sender: sender and receiver share one
 * machine, hence one clock.
 */
public final class Latency {

	private final AtomicHistogram histogram = new AtomicHistogram(120_000_000L, 3);

	/**
	 * @return wall-clock time in microseconds since the epoch
	 */
	public static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

	/**
	 * Records the latency of something sent at {@code sentMicros}.
	 * @param sentMicros send time (µs since the epoch)
	 * @param nowMicros receive time
	 */
	public void record(long sentMicros, long nowMicros) {
		long value = Math.max(1, nowMicros - sentMicros);
		this.histogram.recordValue(Math.min(value, 120_000_000L));
	}

	public long count() {
		return this.histogram.getTotalCount();
	}

	public void reset() {
		this.histogram.reset();
	}

	/**
	 * @return count and p50/p90/p99/p99.9/max in milliseconds
	 */
	public Map<String, Object> summary() {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("count", this.histogram.getTotalCount());
		out.put("p50Ms", ms(this.histogram.getValueAtPercentile(50)));
		out.put("p90Ms", ms(this.histogram.getValueAtPercentile(90)));
		out.put("p99Ms", ms(this.histogram.getValueAtPercentile(99)));
		out.put("p999Ms", ms(this.histogram.getValueAtPercentile(99.9)));
		out.put("maxMs", ms(this.histogram.getMaxValue()));
		return out;
	}

	private static double ms(long micros) {
		return Math.round(micros / 10.0) / 100.0;
	}

}
