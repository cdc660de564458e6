package dev.agenthub.broker.redis;

import java.time.Duration;

/**
 * Settings of the Redis engine.
 *
 * @param keyPrefix prefix of every key and pub/sub channel (e.g. {@code hub:})
 * @param historySize events kept per channel in its history stream (approximate trim)
 * @param historyTtl how long a quiet channel's history is kept
 * @param metaTtl how long a quiet channel's epoch and offset are kept; at least
 * {@code historyTtl}, so offsets outlive the history they index
 * @param logSize events kept in the durable-log stream for a lagging consumer
 */
public record RedisBrokerOptions(String keyPrefix, int historySize, Duration historyTtl, Duration metaTtl,
		long logSize) {

	public RedisBrokerOptions {
		if (metaTtl.compareTo(historyTtl) < 0) {
			throw new IllegalArgumentException("metaTtl must be at least historyTtl");
		}
		if (historySize < 1 || logSize < 1) {
			throw new IllegalArgumentException("historySize and logSize must be positive");
		}
	}

	/**
	 * Defaults: prefix {@code hub:}, 1,000 events for 1 day, epochs for 7 days, a log of
	 * 1,000,000.
	 */
	public static RedisBrokerOptions defaults() {
		return new RedisBrokerOptions("hub:", 1000, Duration.ofDays(1), Duration.ofDays(7), 1_000_000);
	}

	/** The same settings under another key prefix. */
	public RedisBrokerOptions withKeyPrefix(String prefix) {
		return new RedisBrokerOptions(prefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize);
	}

	String metaKey(String channel) {
		return this.keyPrefix + "ch:{" + channel + "}:meta";
	}

	String historyKey(String channel) {
		return this.keyPrefix + "ch:{" + channel + "}:hist";
	}

	String logKey() {
		return this.keyPrefix + "log";
	}

	String pubSubChannel(String channel) {
		return this.keyPrefix + "pub:" + channel;
	}

	String channelOfPubSub(String pubSubChannel) {
		return pubSubChannel.substring(this.keyPrefix.length() + 4);
	}

}
