package dev.agenthub.integration.shim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The registry's meters: {@code hub.shim.uploads} by {@code outcome} (created, identical,
 * conflict, too_large, forbidden, rejected, failed) and {@code hub.shim.downloads} by
 * {@code status} (200, 206, 304, 416, 503: refused past the node's limit), and
 * {@code hub.shim.downloads.stalled}: downloads ended because their client took nothing.
 */
class ShimMetrics {

	static final String UPLOADS = "hub.shim.uploads";

	static final String DOWNLOADS = "hub.shim.downloads";

	static final String STALLED = "hub.shim.downloads.stalled";

	private final MeterRegistry registry;

	ShimMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void upload(String outcome) {
		Counter.builder(UPLOADS).tag("outcome", outcome).register(this.registry).increment();
	}

	void download(int status) {
		Counter.builder(DOWNLOADS).tag("status", Integer.toString(status)).register(this.registry).increment();
	}

	void stalled() {
		Counter.builder(STALLED).register(this.registry).increment();
	}

}
