package dev.agenthub.agentclient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent task ids (bounded, oldest forgotten first) so a command the
 * server delivers twice is run once.
 */
final class RecentIds {

	private final int capacity;

	private LinkedHashMap<String, Boolean> ids;

	RecentIds(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * Records an id.
	 * @param id the id
	 * @return {@code true} if it was not seen recently
	 */
	synchronized boolean add(String id) {
		if (this.ids == null) {
			this.ids = new LinkedHashMap<>(16, 0.75f) {

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > RecentIds.this.capacity;
				}

			};
		}
		return this.ids.putIfAbsent(id, Boolean.TRUE) == null;
	}

	/** Whether an id was seen recently. */
	synchronized boolean contains(String id) {
		return this.ids != null && this.ids.containsKey(id);
	}

}
