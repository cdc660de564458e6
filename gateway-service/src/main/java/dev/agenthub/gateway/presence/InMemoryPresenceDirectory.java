package dev.agenthub.gateway.presence;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * {@link PresenceDirectory} of one node: an LRU map of at most {@code capacity} users
 * (entries also expire after {@link #TTL}).
 */
public final class InMemoryPresenceDirectory implements PresenceDirectory {

	private final int capacity;

	private final Map<String, Membership> entries;

	public InMemoryPresenceDirectory(int capacity) {
		this.capacity = capacity;
		this.entries = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Membership> eldest) {
				return size() > InMemoryPresenceDirectory.this.capacity;
			}

		};
	}

	@Override
	public Mono<Void> remember(String userId, Set<String> workspaces) {
		return Mono.fromRunnable(() -> {
			synchronized (this.entries) {
				// Remove first so the entry moves to the end (most recent).
				this.entries.remove(userId);
				this.entries.put(userId, new Membership(Set.copyOf(workspaces), System.nanoTime() + TTL.toNanos()));
			}
		});
	}

	@Override
	public Mono<Map<String, Set<String>>> workspacesOf(Collection<String> userIds) {
		return Mono.fromSupplier(() -> {
			long now = System.nanoTime();
			Map<String, Set<String>> found = new HashMap<>();
			synchronized (this.entries) {
				for (String userId : userIds) {
					Membership entry = this.entries.get(userId);
					if (entry != null && entry.expiresAt - now > 0) {
						found.put(userId, entry.workspaces);
					}
				}
			}
			return found;
		});
	}

	private record Membership(Set<String> workspaces, long expiresAt) {

	}

}
