package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * Records in this JVM (single node), bounded twice: a user keeps at most its share of
 * them (past it, its oldest record goes), so one user dropping sockets again and again
 * cannot fill the store and leave everyone else's drops unrecoverable; when the store is
 * full all the same, expired records go (a sweep at most once a second, not a scan on
 * every save) and a new record is refused if it is still full.
 */
public final class InMemoryResumeStore implements ResumeStore {

	private static final long SWEEP_EVERY = 1_000_000_000L;

	private final int capacity;

	private final int perUser;

	/** Guarded by this store, like {@link #byUser}. */
	private final Map<String, Entry> entries = new HashMap<>();

	/** Each user's pids, oldest record first. */
	private final Map<String, ArrayDeque<String>> byUser = new HashMap<>();

	private long sweptAt = System.nanoTime() - SWEEP_EVERY - 1;

	/** Users whose records are not counted (the gateway's own warm-up). */
	private final Set<String> uncounted;

	public InMemoryResumeStore(int capacity, int perUser) {
		this(capacity, perUser, Set.of());
	}

	/**
	 * @param capacity records kept at most
	 * @param perUser records one user keeps at most
	 * @param uncounted users whose records are not counted: the gateway's own warm-up
	 * user, whose loopback sockets (thousands, one user) are as many as the warm-up
	 * serves, while it runs (the store's capacity still bounds them)
	 */
	public InMemoryResumeStore(int capacity, int perUser, Set<String> uncounted) {
		this.capacity = capacity;
		this.perUser = perUser;
		this.uncounted = Set.copyOf(uncounted);
	}

	@Override
	public Mono<Void> save(String pid, ResumeRecord record, Duration ttl) {
		return Mono.fromRunnable(() -> saveNow(pid, record, ttl));
	}

	private synchronized void saveNow(String pid, ResumeRecord record, Duration ttl) {
		long now = System.nanoTime();
		forget(pid);
		ArrayDeque<String> mine = this.byUser.get(record.subject());
		if (mine != null && mine.size() >= this.perUser && !this.uncounted.contains(record.subject())) {
			forget(mine.peekFirst());
		}
		if (this.entries.size() >= this.capacity) {
			sweep(now);
			if (this.entries.size() >= this.capacity) {
				// Still full: the client will not recover and refetches state.
				return;
			}
		}
		this.entries.put(pid, new Entry(record, now + ttl.toNanos()));
		this.byUser.computeIfAbsent(record.subject(), (user) -> new ArrayDeque<>()).addLast(pid);
	}

	@Override
	public Mono<ResumeRecord> take(String pid, String subject) {
		return Mono.fromSupplier(() -> takeNow(pid, subject));
	}

	private synchronized ResumeRecord takeNow(String pid, String subject) {
		Entry entry = this.entries.get(pid);
		if (entry == null || !entry.record.subject().equals(subject)) {
			return null;
		}
		forget(pid);
		return (entry.expiresAt - System.nanoTime() > 0) ? entry.record : null;
	}

	/** Removes the record of a pid, if any, and its place in its user's share. */
	private void forget(String pid) {
		Entry entry = this.entries.remove(pid);
		if (entry != null) {
			String subject = entry.record.subject();
			ArrayDeque<String> pids = this.byUser.get(subject);
			if (pids != null && pids.remove(pid) && pids.isEmpty()) {
				this.byUser.remove(subject);
			}
		}
	}

	/** Removes expired records, at most once a second. */
	private void sweep(long now) {
		if (now - this.sweptAt <= SWEEP_EVERY) {
			return;
		}
		this.sweptAt = now;
		for (Iterator<Entry> it = this.entries.values().iterator(); it.hasNext();) {
			if (it.next().expiresAt - now < 0) {
				it.remove();
			}
		}
		this.byUser.values().removeIf((pids) -> {
			pids.removeIf((pid) -> !this.entries.containsKey(pid));
			return pids.isEmpty();
		});
	}

	private record Entry(ResumeRecord record, long expiresAt) {

	}

}
