package dev.agenthub.support.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each key's share of something a node holds for many (its connections, its upload
 * slots): one key — a user, an agent, a workspace — can fill its own share, never the
 * whole node. A key holding nothing has no entry, so the map is as large as the number of
 * keys holding something; counts up to 127 are the JDK's cached {@link Integer}s, so an
 * entry costs one map node.
 */
public final class Shares {

	private final int perKey;

	/** What each key holds; a key holding nothing has no entry. */
	private final Map<String, Integer> held = new ConcurrentHashMap<>();

	/**
	 * @param perKey the most one key may hold
	 */
	public Shares(int perKey) {
		if (perKey < 1) {
			throw new IllegalArgumentException("a share must allow at least one, not " + perKey);
		}
		this.perKey = perKey;
	}

	/** The most one key may hold. */
	public int perKey() {
		return this.perKey;
	}

	/**
	 * Takes one for the key, unless it holds its whole share already.
	 * @return {@code false} when the key holds its whole share
	 */
	public boolean take(String key) {
		boolean[] taken = new boolean[1];
		this.held.compute(key, (k, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= this.perKey) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		return taken[0];
	}

	/**
	 * Takes one for the key even beyond its share: for what was admitted by
	 * {@link #admits} a moment before and cannot be refused any more.
	 */
	public void force(String key) {
		this.held.merge(key, 1, Integer::sum);
	}

	/**
	 * Whether the key could take one now (a check ahead of {@link #force}; two callers
	 * may both see room for the last one).
	 */
	public boolean admits(String key) {
		Integer count = this.held.get(key);
		return count == null || count < this.perKey;
	}

	/** Gives back one the key took. */
	public void give(String key) {
		this.held.computeIfPresent(key, (k, count) -> (count > 1) ? count - 1 : null);
	}

	/** What the key holds now. */
	public int held(String key) {
		return this.held.getOrDefault(key, 0);
	}

	/** How many keys hold something. */
	public int keys() {
		return this.held.size();
	}

}
