package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the Redis engine.
 *
 * @param keyPrefix prefix of every key and pub/sub channel (e.g. {@code hub:})
 * @param historySize events kept per channel in its history stream (approximate trim)
 * @param historyTtl how long a quiet channel's history is kept
 * @param metaTtl how long a quiet channel's epoch and offset are kept; at least
 * {@code historyTtl}, so offsets outlive the history they index
 * @param logSize events kept in the durable-log stream (in each of its partitions) for a
 * lagging consumer
 * @param partitions 0 for one Redis (one log stream, {@code PUBLISH}); otherwise the
 * number of partitions a Redis Cluster spreads channels over, each with its own slot, log
 * stream and sharded pub/sub (see {@link KeyLayout})
 */
public record RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl, long logSize,
		int partitions) {

	public RedisBrokerOptions {
		if (metaTtl.compareTo(historyTtl) < 0) {
			throw new IllegalArgumentException("metaTtl must be at least historyTtl");
		}
		if (historySize < 1 || logSize < 1) {
			throw new IllegalArgumentException("historySize and logSize must be positive");
		}
		if (partitions < 0 || partitions > 1024) {
			throw new IllegalArgumentException("partitions must be between 0 and 1024");
		}
	}

	/** Settings for one Redis. */
	public RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl, long logSize) {
		this(keyPrefix, historySize, historyTtl, metaTtl, logSize, 0);
	}

	/**
	 * Defaults: prefix {@code hub:}, 1,000 events for 1 day, epochs for 7 days, a log of
	 * 1,000,000, one Redis.
	 */
	public static RedisBrokerOptions defaults() {
		return new RedisBrokerOptions("hub:", 1000, Duration.ofDays(1), Duration.ofDays(7), 1_000_000);
	}

	/** The same settings under another key prefix. */
	public RedisBrokerOptions withKeyPrefix(String prefix) {
		return new RedisBrokerOptions(prefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				this.partitions);
	}

	/** The same settings for a Redis Cluster with {@code count} partitions. */
	public RedisBrokerOptions withPartitions(int count) {
		return new RedisBrokerOptions(this.keyPrefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				count);
	}

	KeyLayout layout() {
		return (this.partitions == 0) ? KeyLayout.single(this.keyPrefix)
				: KeyLayout.partitioned(this.keyPrefix, this.partitions);
	}

	/** The key of a channel's epoch and offset (for tests that simulate lost state). */
	public String metaKey(String channel) {
		return layout().meta(channel);
	}

	/** The keys of the durable-log streams, one per partition (for tests and tools). */
	public List<String> logStreams() {
		return layout().logs();
	}

	/** The key of a channel's history stream (for tests that simulate lost state). */
	public String historyKey(String channel) {
		return layout().history(channel);
	}

}
