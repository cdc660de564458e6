package dev.agenthub.broadcast.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The durable log's meters: {@code hub.log.events} (by outcome),
 * {@code hub.log.write.failures} and {@code hub.log.batch.events} (events per
 * transaction: each costs a commit, so its count is what the writer spends).
 */
@Component
public class LogMetrics {

	static final String EVENTS = "hub.log.events";

	static final String WRITE_FAILURES = "hub.log.write.failures";

	static final String BATCH_EVENTS = "hub.log.batch.events";

	private final Counter inserted;

	private final Counter duplicates;

	private final Counter failures;

	private final DistributionSummary batches;

	public LogMetrics(MeterRegistry registry) {
		this.inserted = Counter.builder(EVENTS).tag("outcome", "inserted").register(registry);
		this.duplicates = Counter.builder(EVENTS).tag("outcome", "duplicate").register(registry);
		this.failures = Counter.builder(WRITE_FAILURES).register(registry);
		this.batches = DistributionSummary.builder(BATCH_EVENTS).register(registry);
	}

	void written(int batch, long inserted) {
		this.inserted.increment(inserted);
		this.duplicates.increment(batch - inserted);
		this.batches.record(batch);
	}

	void writeFailed() {
		this.failures.increment();
	}

}
