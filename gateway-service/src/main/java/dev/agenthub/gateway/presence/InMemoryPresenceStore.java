package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

/**
 * Presence in one JVM. Nodes sharing a {@link Space} behave like gateways sharing a Redis
 * (the contract tests run two nodes on one space).
 */
public final class InMemoryPresenceStore implements PresenceStore {

	private static final String OFFLINE = "offline";

	private final Space space;

	private final String node;

	private final long ttlNanos;

	public InMemoryPresenceStore(Space space, String node, Duration ttl) {
		this.space = space;
		this.node = node;
		this.ttlNanos = ttl.toNanos();
	}

	@Override
	public Mono<Change> set(String userId, String connectionId, String status, String audience) {
		return Mono.fromSupplier(() -> change(userId, connectionId, status, audience));
	}

	@Override
	public Mono<Change> remove(String userId, String connectionId) {
		return Mono.fromSupplier(() -> change(userId, connectionId, null, null));
	}

	private Change change(String userId, String connectionId, String status, String audience) {
		synchronized (this.space) {
			touch();
			Map<String, Entry> connections = this.space.users.computeIfAbsent(userId, (id) -> new HashMap<>());
			String before = aggregate(connections);
			if (status != null) {
				connections.put(connectionId, new Entry(++this.space.sequence, status, this.node));
				this.space.audience(userId, audience);
			}
			else {
				connections.remove(connectionId);
			}
			String after = aggregate(connections);
			if (connections.isEmpty()) {
				this.space.users.remove(userId);
			}
			String heard = this.space.audiences.getOrDefault(userId, "");
			if (OFFLINE.equals(after)) {
				this.space.online.remove(userId);
				this.space.audience(userId, null);
			}
			else {
				this.space.online.put(userId, after);
			}
			return new Change(userId, before, after, heard);
		}
	}

	@Override
	public Mono<Void> refresh() {
		return Mono.fromRunnable(() -> {
			synchronized (this.space) {
				touch();
			}
		});
	}

	@Override
	public Mono<List<Change>> sweep() {
		return Mono.fromSupplier(() -> {
			synchronized (this.space) {
				long now = System.nanoTime();
				if (now - this.space.nextSweep < 0) {
					return List.of();
				}
				this.space.nextSweep = now + this.ttlNanos;
				List<Change> changes = new ArrayList<>();
				Iterator<Map.Entry<String, String>> online = this.space.online.entrySet().iterator();
				while (online.hasNext()) {
					Map.Entry<String, String> user = online.next();
					Map<String, Entry> connections = this.space.users.getOrDefault(user.getKey(), new HashMap<>());
					if (OFFLINE.equals(aggregate(connections))) {
						online.remove();
						this.space.users.remove(user.getKey());
						String heard = this.space.audience(user.getKey(), null);
						changes.add(new Change(user.getKey(), user.getValue(), OFFLINE, (heard != null) ? heard : ""));
					}
				}
				return changes;
			}
		});
	}

	@Override
	public Mono<Map<String, String>> online() {
		return Mono.fromSupplier(() -> {
			synchronized (this.space) {
				Map<String, String> online = new TreeMap<>();
				Iterator<Map.Entry<String, Map<String, Entry>>> users = this.space.users.entrySet().iterator();
				while (users.hasNext()) {
					Map.Entry<String, Map<String, Entry>> user = users.next();
					String status = aggregate(user.getValue());
					if (user.getValue().isEmpty()) {
						users.remove();
					}
					if (!OFFLINE.equals(status)) {
						online.put(user.getKey(), status);
					}
				}
				return online;
			}
		});
	}

	@Override
	public Mono<String> status(String userId) {
		return Mono.fromSupplier(() -> {
			synchronized (this.space) {
				Map<String, Entry> connections = this.space.users.get(userId);
				return (connections != null) ? aggregate(connections) : OFFLINE;
			}
		});
	}

	@Override
	public Mono<Map<String, Long>> audienceSizes(Collection<String> channels) {
		return Mono.fromSupplier(() -> {
			synchronized (this.space) {
				Map<String, Long> sizes = new HashMap<>();
				for (String channel : channels) {
					sizes.put(channel, this.space.audienceSizes.getOrDefault(channel, 0L));
				}
				return sizes;
			}
		});
	}

	private void touch() {
		this.space.nodeDeadlines.put(this.node, System.nanoTime() + this.ttlNanos);
	}

	/** The aggregate over live entries; drops entries of nodes past their deadline. */
	private String aggregate(Map<String, Entry> connections) {
		long now = System.nanoTime();
		Entry latest = null;
		Iterator<Entry> entries = connections.values().iterator();
		while (entries.hasNext()) {
			Entry entry = entries.next();
			Long deadline = this.space.nodeDeadlines.get(entry.node);
			if (deadline == null || now - deadline > 0) {
				entries.remove();
			}
			else if (latest == null || entry.sequence > latest.sequence) {
				latest = entry;
			}
		}
		return (latest != null) ? latest.status : OFFLINE;
	}

	/** The state nodes share: users' connections and nodes' deadlines. */
	public static final class Space {

		private final Map<String, Map<String, Entry>> users = new HashMap<>();

		private final Map<String, Long> nodeDeadlines = new HashMap<>();

		/** Users announced as not offline, with that status. */
		private final Map<String, String> online = new HashMap<>();

		/** Users' audiences, until they are offline. */
		private final Map<String, String> audiences = new HashMap<>();

		/** How many users' audiences name each channel. */
		private final Map<String, Long> audienceSizes = new HashMap<>();

		private long sequence;

		private long nextSweep = System.nanoTime();

		/**
		 * Sets (or with {@code null} forgets) a user's audience, counting its channels.
		 * @return the audience it had
		 */
		private String audience(String userId, String audience) {
			String before = (audience != null) ? this.audiences.put(userId, audience) : this.audiences.remove(userId);
			if (!java.util.Objects.equals(before, audience)) {
				recount(before, -1);
				recount(audience, 1);
			}
			return before;
		}

		private void recount(String audience, long delta) {
			if (audience == null || audience.isEmpty()) {
				return;
			}
			for (String channel : audience.split(",")) {
				long size = this.audienceSizes.getOrDefault(channel, 0L) + delta;
				if (size > 0) {
					this.audienceSizes.put(channel, size);
				}
				else {
					this.audienceSizes.remove(channel);
				}
			}
		}

	}

	private record Entry(long sequence, String status, String node) {

	}

}
