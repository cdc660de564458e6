package dev.agenthub.integration.tailscale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Tailscale client's meters (HTTP timings come from {@code http.client.requests}):
 * {@code hub.tailscale.retries} by {@code operation}, {@code hub.tailscale.auth.keys} by
 * {@code outcome} (created, failed) and {@code hub.tailscale.devices.offboarded}.
 */
class TailscaleMetrics {

	static final String RETRIES = "hub.tailscale.retries";

	static final String AUTH_KEYS = "hub.tailscale.auth.keys";

	static final String OFFBOARDED = "hub.tailscale.devices.offboarded";

	private final MeterRegistry registry;

	TailscaleMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void retried(String operation) {
		Counter.builder(RETRIES).tag("operation", operation).register(this.registry).increment();
	}

	void keyCreated(boolean created) {
		Counter.builder(AUTH_KEYS).tag("outcome", created ? "created" : "failed").register(this.registry).increment();
	}

	void offboarded(int devices) {
		Counter.builder(OFFBOARDED).register(this.registry).increment(devices);
	}

}
