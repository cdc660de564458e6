package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the Redis engine.
 *
 * @param keyPrefix prefix of every key and pub/sub channel (e.g. {@code hub:})
 * @param historySize events kept per channel in its history stream
 * @param historyTtl how long a quiet channel's history is kept
 * @param metaTtl how long a quiet channel's epoch and offset are kept; at least
 * {@code historyTtl}, so offsets outlive the history they index
 * @param logSize events kept in the durable-log stream (in each of its partitions) for a
 * lagging consumer
 * @param partitions 0 for one Redis (one log stream, {@code PUBLISH}); otherwise the
 * number of partitions a Redis Cluster spreads channels over, each with its own slot, log
 * stream and sharded pub/sub (see {@link KeyLayout})
 * @param historyBytes bytes of events kept per channel in its history (the newest event
 * is always kept)
 * @param logBytes bytes of events kept in each durable-log stream
 * @param ephemeralPrefixes channels that get no keys until something is published on them
 * (e.g. {@code client:}), and whose keys live only {@code ephemeralTtl}
 * @param ephemeralTtl how long an ephemeral channel's keys outlive its last publish
 */
public record RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl, long logSize,
		int partitions, long historyBytes, long logBytes, List<String> ephemeralPrefixes, Duration ephemeralTtl) {

	/** Default bytes of history per channel: 4 MiB. */
	public static final long HISTORY_BYTES = 4L << 20;

	/** Default bytes per durable-log stream: 512 MiB. */
	public static final long LOG_BYTES = 512L << 20;

	/**
	 * Default ephemeral channels: the implicit per-connection {@code client:} channels.
	 */
	public static final List<String> EPHEMERAL = List.of("client:");

	/** Default life of an ephemeral channel's keys after its last publish: 10 minutes. */
	public static final Duration EPHEMERAL_TTL = Duration.ofMinutes(10);

	public RedisBrokerOptions {
		if (metaTtl.compareTo(historyTtl) < 0) {
			throw new IllegalArgumentException("metaTtl must be at least historyTtl");
		}
		if (historySize < 1 || logSize < 1 || historyBytes < 1 || logBytes < 1) {
			throw new IllegalArgumentException("history and log bounds must be positive");
		}
		if (partitions < 0 || partitions > 1024) {
			throw new IllegalArgumentException("partitions must be between 0 and 1024");
		}
		if (ephemeralTtl.toSeconds() < 1) {
			throw new IllegalArgumentException("ephemeralTtl must be at least a second");
		}
		ephemeralPrefixes = List.copyOf(ephemeralPrefixes);
	}

	/** Settings for a cluster (or one Redis with 0 partitions), with default bounds. */
	public RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl, long logSize,
			int partitions) {
		this(keyPrefix, historySize, historyTtl, metaTtl, logSize, partitions, HISTORY_BYTES, LOG_BYTES, EPHEMERAL,
				EPHEMERAL_TTL);
	}

	/** Settings for one Redis, with default bounds. */
	public RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl, long logSize) {
		this(keyPrefix, historySize, historyTtl, metaTtl, logSize, 0);
	}

	/**
	 * Defaults: prefix {@code hub:}, 1,000 events (4 MiB) for 1 day, epochs for 7 days, a
	 * log of 1,000,000 events (512 MiB), one Redis.
	 */
	public static RedisBrokerOptions defaults() {
		return new RedisBrokerOptions("hub:", 1000, Duration.ofDays(1), Duration.ofDays(7), 1_000_000);
	}

	/** The same settings under another key prefix. */
	public RedisBrokerOptions withKeyPrefix(String prefix) {
		return new RedisBrokerOptions(prefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				this.partitions, this.historyBytes, this.logBytes, this.ephemeralPrefixes, this.ephemeralTtl);
	}

	/** The same settings for a Redis Cluster with {@code count} partitions. */
	public RedisBrokerOptions withPartitions(int count) {
		return new RedisBrokerOptions(this.keyPrefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				count, this.historyBytes, this.logBytes, this.ephemeralPrefixes, this.ephemeralTtl);
	}

	/** The same settings with other byte bounds. */
	public RedisBrokerOptions withBytes(long history, long log) {
		return new RedisBrokerOptions(this.keyPrefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				this.partitions, history, log, this.ephemeralPrefixes, this.ephemeralTtl);
	}

	/** The same settings with other ephemeral channels. */
	public RedisBrokerOptions withEphemeral(List<String> prefixes, Duration ttl) {
		return new RedisBrokerOptions(this.keyPrefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				this.partitions, this.historyBytes, this.logBytes, prefixes, ttl);
	}

	/** Whether a channel is ephemeral (see {@link #ephemeralPrefixes()}). */
	public boolean ephemeral(String channel) {
		for (String prefix : this.ephemeralPrefixes) {
			if (channel.startsWith(prefix)) {
				return true;
			}
		}
		return false;
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
