package dev.agenthub.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Claims in this JVM (the memory engine: one gateway), bounded: when full, expired claims
 * go; if it is still full a new id is refused (its connection gets a fresh id), never
 * handed out twice. A user's new ids count against its quota ({@link ClientIdClaims}), so
 * one user cannot fill the store for everyone.
 */
public final class InMemoryClientIdClaims implements ClientIdClaims {

	private static final long SWEEP_EVERY = 1_000_000_000L;

	private final int capacity;

	private final int perUser;

	private final Map<String, Claim> claims = new ConcurrentHashMap<>();

	/** Each user's new ids in its current quota window. */
	private final Map<String, Quota> quotas = new ConcurrentHashMap<>();

	private final AtomicLong sweptAt = new AtomicLong(System.nanoTime() - SWEEP_EVERY - 1);

	public InMemoryClientIdClaims(int capacity, int perUser) {
		this.capacity = capacity;
		this.perUser = perUser;
	}

	@Override
	public Mono<Instant> hold(String clientId, String subject, Duration ttl) {
		return Mono.fromSupplier(() -> holdNow(clientId, subject, ttl));
	}

	private @Nullable Instant holdNow(String clientId, String subject, Duration ttl) {
		long now = System.nanoTime();
		Claim current = this.claims.get(clientId);
		boolean live = current != null && current.expiresAt - now >= 0;
		if (live && !current.subject.equals(subject)) {
			return null;
		}
		if (!live) {
			if (this.claims.size() >= this.capacity && !roomAfterSweep(now)) {
				return null;
			}
			if (!takeQuota(subject, now, ttl)) {
				return null;
			}
		}
		Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
		Claim held = this.claims.compute(clientId, (id, existing) -> {
			if (existing == null || existing.expiresAt - now < 0) {
				return new Claim(subject, now + ttl.toNanos(), start);
			}
			return existing.subject.equals(subject) ? new Claim(subject, now + ttl.toNanos(), existing.since)
					: existing;
		});
		return held.subject.equals(subject) ? held.since : null;
	}

	/**
	 * Sweeps lapsed claims and quotas, at most once a second (a full store must not make
	 * every connect a scan); whether there is room now.
	 */
	private boolean roomAfterSweep(long now) {
		long last = this.sweptAt.get();
		if (now - last > SWEEP_EVERY && this.sweptAt.compareAndSet(last, now)) {
			this.claims.values().removeIf((claim) -> claim.expiresAt - now < 0);
			this.quotas.values().removeIf((quota) -> quota.endsAt - now < 0);
		}
		return this.claims.size() < this.capacity;
	}

	/** Counts a new id against the user's quota; {@code false} when it is used up. */
	private boolean takeQuota(String subject, long now, Duration ttl) {
		boolean[] taken = { false };
		this.quotas.compute(subject, (user, quota) -> {
			Quota window = (quota == null || quota.endsAt - now < 0) ? new Quota(now + ttl.toNanos(), 0) : quota;
			if (window.used >= this.perUser) {
				return window;
			}
			taken[0] = true;
			return new Quota(window.endsAt, window.used + 1);
		});
		return taken[0];
	}

	private record Claim(String subject, long expiresAt, Instant since) {

	}

	private record Quota(long endsAt, int used) {

	}

}
