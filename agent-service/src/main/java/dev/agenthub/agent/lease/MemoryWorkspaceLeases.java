package dev.agenthub.agent.lease;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/** {@link WorkspaceLeases} of one node (the memory engine). */
public class MemoryWorkspaceLeases implements WorkspaceLeases {

	private final Map<String, Held> leases = new ConcurrentHashMap<>();

	private final AtomicLong fences = new AtomicLong();

	private final Duration ttl;

	private final Clock clock;

	public MemoryWorkspaceLeases(Duration ttl, Clock clock) {
		this.ttl = ttl;
		this.clock = clock;
	}

	@Override
	public Mono<Acquired> acquire(String workspaceId, String nodeId, String sessionId) {
		return Mono.fromSupplier(() -> {
			Lease lease = new Lease(workspaceId, nodeId, sessionId, this.fences.incrementAndGet());
			Held previous = this.leases.put(workspaceId, new Held(lease, expiry()));
			Held old = live(previous);
			return new Acquired(lease, (old != null) ? old.lease : null);
		});
	}

	@Override
	public Mono<Boolean> renew(Lease lease) {
		return Mono.fromSupplier(() -> {
			Held renewed = this.leases.computeIfPresent(lease.workspaceId(),
					(key, held) -> (held.lease.equals(lease) && live(held) != null) ? new Held(lease, expiry()) : held);
			return renewed != null && renewed.lease.equals(lease) && live(renewed) != null;
		});
	}

	@Override
	public Mono<Lease> reacquire(Lease lost) {
		return Mono.fromSupplier(() -> {
			Lease lease = new Lease(lost.workspaceId(), lost.nodeId(), lost.sessionId(), this.fences.incrementAndGet());
			Held held = this.leases.compute(lost.workspaceId(),
					(key, current) -> (live(current) == null) ? new Held(lease, expiry()) : current);
			return held.lease.equals(lease) ? lease : null;
		});
	}

	@Override
	public Mono<Boolean> release(Lease lease) {
		return Mono.fromSupplier(() -> {
			Held held = this.leases.get(lease.workspaceId());
			return held != null && held.lease.equals(lease) && this.leases.remove(lease.workspaceId(), held)
					&& held.expiresAt > this.clock.millis();
		});
	}

	@Override
	public Mono<Lease> current(String workspaceId) {
		return Mono.fromSupplier(() -> {
			Held held = live(this.leases.get(workspaceId));
			return (held != null) ? held.lease : null;
		});
	}

	private long expiry() {
		return this.clock.millis() + this.ttl.toMillis();
	}

	private Held live(Held held) {
		return (held != null && held.expiresAt > this.clock.millis()) ? held : null;
	}

	private record Held(Lease lease, long expiresAt) {

	}

}
