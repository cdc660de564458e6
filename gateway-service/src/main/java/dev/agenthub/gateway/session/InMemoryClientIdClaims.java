package dev.agenthub.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/**
 * Claims in this JVM (the memory engine: one gateway), bounded: when full, expired claims
 * go; if it is still full a new id is refused (its connection gets a fresh id), never
 * handed out twice.
 */
public final class InMemoryClientIdClaims implements ClientIdClaims {

	private final int capacity;

	private static final long SWEEP_EVERY = 1_000_000_000L;

	private final Map<String, Claim> claims = new ConcurrentHashMap<>();

	private final AtomicLong sweptAt = new AtomicLong(System.nanoTime() - SWEEP_EVERY - 1);

	public InMemoryClientIdClaims(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public Mono<Boolean> claim(String clientId, String subject, Duration ttl) {
		return Mono.fromSupplier(() -> claimNow(clientId, subject, ttl));
	}

	private boolean claimNow(String clientId, String subject, Duration ttl) {
		long now = System.nanoTime();
		if (!this.claims.containsKey(clientId) && this.claims.size() >= this.capacity) {
			// a full sweep at most once a second: a full store must not make every
			// connect a scan
			long last = this.sweptAt.get();
			if (now - last > SWEEP_EVERY && this.sweptAt.compareAndSet(last, now)) {
				this.claims.values().removeIf((claim) -> claim.expiresAt - now < 0);
			}
			if (this.claims.size() >= this.capacity) {
				return false;
			}
		}
		Claim mine = new Claim(subject, now + ttl.toNanos());
		Claim held = this.claims.compute(clientId,
				(id, current) -> (current == null || current.expiresAt - now < 0 || current.subject.equals(subject))
						? mine : current);
		return held == mine;
	}

	private record Claim(String subject, long expiresAt) {

	}

}
