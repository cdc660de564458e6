package dev.agenthub.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.cluster.SlotHash;

/**
 * Where a channel's state lives in Redis, and how its live events travel.
 * <p>
 * {@linkplain #single Single}: one Redis. Keys {@code hub:ch:{channel}:meta} and
 * {@code :hist}, one log stream {@code hub:log}, {@code PUBLISH} on
 * {@code hub:pub:channel}.
 * <p>
 * {@linkplain #partitioned Partitioned} (Redis Cluster): a channel belongs to one of
 * {@code N} partitions by the CRC16 of its name; every key of the partition carries the
 * partition's hash tag first ({@code hub:{p3}:ch:channel:meta}, {@code :hist},
 * {@code hub:{p3}:log}, sharded channel {@code hub:{p3}:pub:channel}), so that a publish
 * touches one slot and stays one atomic script, and a channel's events enter its
 * partition's log stream in offset order. The hash tag comes before anything a client
 * chose, so a channel name with braces cannot move its keys to another slot. The tags are
 * chosen so that partition {@code i} hashes into the {@code i}-th of {@code N} equal slot
 * ranges, which spreads partitions evenly over masters that own contiguous ranges.
 */
sealed interface KeyLayout {

	String meta(String channel);

	String history(String channel);

	/** The log stream the channel's events are appended to. */
	String log(String channel);

	/** The byte count of the log stream {@link #log(String)} names (same slot). */
	default String logBytes(String channel) {
		return log(channel) + ":bytes";
	}

	/** Every log stream, in partition order. */
	List<String> logs();

	String pubSub(String channel);

	String channelOfPubSub(String pubSubChannel);

	/** {@code PUBLISH} or {@code SPUBLISH}. */
	String publishCommand();

	/** Whether live delivery uses sharded pub/sub. */
	default boolean sharded() {
		return "SPUBLISH".equals(publishCommand());
	}

	static KeyLayout single(String prefix) {
		return new Single(prefix);
	}

	static KeyLayout partitioned(String prefix, int partitions) {
		return new Partitioned(prefix, Tags.CACHE.computeIfAbsent(partitions, KeyLayout::tags));
	}

	/**
	 * Hash tags whose slots fall into {@code partitions} equal, ascending slot ranges.
	 */
	static List<String> tags(int partitions) {
		List<String> tags = new ArrayList<>(partitions);
		for (int i = 0; i < partitions; i++) {
			int from = i * SlotHash.SLOT_COUNT / partitions;
			int to = (i + 1) * SlotHash.SLOT_COUNT / partitions;
			for (int n = 0;; n++) {
				String tag = "p" + i + "." + n;
				int slot = SlotHash.getSlot(tag);
				if (slot >= from && slot < to) {
					tags.add(tag);
					break;
				}
			}
		}
		return List.copyOf(tags);
	}

	/** Tags are searched once per partition count. */
	final class Tags {

		private static final Map<Integer, List<String>> CACHE = new ConcurrentHashMap<>();

		private Tags() {
		}

	}

	record Single(String prefix) implements KeyLayout {

		@Override
		public String meta(String channel) {
			return this.prefix + "ch:{" + channel + "}:meta";
		}

		@Override
		public String history(String channel) {
			return this.prefix + "ch:{" + channel + "}:hist";
		}

		@Override
		public String log(String channel) {
			return this.prefix + "log";
		}

		@Override
		public List<String> logs() {
			return List.of(this.prefix + "log");
		}

		@Override
		public String pubSub(String channel) {
			return this.prefix + "pub:" + channel;
		}

		@Override
		public String channelOfPubSub(String pubSubChannel) {
			return pubSubChannel.substring(this.prefix.length() + 4);
		}

		@Override
		public String publishCommand() {
			return "PUBLISH";
		}

	}

	record Partitioned(String prefix, List<String> tags) implements KeyLayout {

		private String partition(String channel) {
			return this.prefix + "{" + this.tags.get(SlotHash.getSlot(channel) % this.tags.size()) + "}:";
		}

		@Override
		public String meta(String channel) {
			return partition(channel) + "ch:" + channel + ":meta";
		}

		@Override
		public String history(String channel) {
			return partition(channel) + "ch:" + channel + ":hist";
		}

		@Override
		public String log(String channel) {
			return partition(channel) + "log";
		}

		@Override
		public List<String> logs() {
			return this.tags.stream().map((tag) -> this.prefix + "{" + tag + "}:log").toList();
		}

		@Override
		public String pubSub(String channel) {
			return partition(channel) + "pub:" + channel;
		}

		@Override
		public String channelOfPubSub(String pubSubChannel) {
			return pubSubChannel.substring(pubSubChannel.indexOf("}:pub:") + 6);
		}

		@Override
		public String publishCommand() {
			return "SPUBLISH";
		}

	}

}
