package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

/** Records in this JVM (single node), bounded: when full, the oldest entries go. */
public final class InMemoryResumeStore implements ResumeStore {

	private final int capacity;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	public InMemoryResumeStore(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public Mono<Void> save(String pid, ResumeRecord record, Duration ttl) {
		return Mono.fromRunnable(() -> {
			long now = System.nanoTime();
			if (this.entries.size() >= this.capacity) {
				this.entries.values().removeIf((entry) -> entry.expiresAt - now < 0);
				if (this.entries.size() >= this.capacity) {
					// Still full: the client will not recover and refetches state.
					return;
				}
			}
			this.entries.put(pid, new Entry(record, now + ttl.toNanos()));
		});
	}

	@Override
	public Mono<ResumeRecord> take(String pid, String subject) {
		return Mono.fromSupplier(() -> {
			Entry entry = this.entries.get(pid);
			if (entry == null || !entry.record.subject().equals(subject) || !this.entries.remove(pid, entry)) {
				return null;
			}
			return (entry.expiresAt - System.nanoTime() > 0) ? entry.record : null;
		});
	}

	private record Entry(ResumeRecord record, long expiresAt) {

	}

}
