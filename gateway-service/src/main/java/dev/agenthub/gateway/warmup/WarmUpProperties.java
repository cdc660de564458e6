package dev.agenthub.gateway.warmup;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The warm-up ({@code hub.gateway.warm-up.*}).
 *
 * @param connections loopback clients opened, subscribed with a resume point and closed
 * before the gateway reports ready (half raw, half Socket.IO); 0: no warm-up; unset:
 * {@value #FLEET_CONNECTIONS} on a shared engine (Redis, Redis Cluster: a fleet, whose
 * gateways take over each other's clients), none on the memory engine (one node, which
 * nobody fails over to)
 * @param concurrency clients in flight at once
 * @param events events published to the warm-up's shared channel first; each client's
 * resume on it replays as many
 * @param timeout longest the warm-up may take; then the gateway reports ready anyway
 */
@ConfigurationProperties("hub.gateway.warm-up")
public record WarmUpProperties(@Nullable Integer connections, @DefaultValue("64") int concurrency,
		@DefaultValue("20") int events, @DefaultValue("90s") Duration timeout) {

	/**
	 * Warm-up clients of a gateway on a shared engine, unless configured. The code a
	 * client's connect and resume run is invoked once or a few times per client, and the
	 * JIT compiles a method with C2 after some thousands of calls (more while its queue
	 * is long): after 2,000 clients 24 of the hub's methods were C2-compiled, after 6,000
	 * 53, and a storm's resumes then cost the gateway 1.76–1.95 ms of CPU instead of
	 * 2.13–2.43 (docs/benchmarks.md, fifteenth pass). About 20 s alone on two cores.
	 */
	public static final int FLEET_CONNECTIONS = 6000;

	/**
	 * The warm-up clients to serve.
	 * @param engine {@code hub.engine}
	 * @return the configured number, else the default for the engine
	 */
	public int connectionsFor(String engine) {
		if (this.connections != null) {
			return Math.max(0, this.connections);
		}
		return "memory".equals(engine) ? 0 : FLEET_CONNECTIONS;
	}

}
