package dev.agenthub.broadcast.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The durable log's meters: {@code hub.log.events} (by outcome) and
 * {@code hub.log.write.failures}.
 */
@Component
public class LogMetrics {

	static final String EVENTS = "hub.log.events";

	static final String WRITE_FAILURES = "hub.log.write.failures";

	private final Counter inserted;

	private final Counter duplicates;

	private final Counter failures;

	public LogMetrics(MeterRegistry registry) {
		this.inserted = Counter.builder(EVENTS).tag("outcome", "inserted").register(registry);
		this.duplicates = Counter.builder(EVENTS).tag("outcome", "duplicate").register(registry);
		this.failures = Counter.builder(WRITE_FAILURES).register(registry);
	}

	void written(int batch, long inserted) {
		this.inserted.increment(inserted);
		this.duplicates.increment(batch - inserted);
	}

	void writeFailed() {
		this.failures.increment();
	}

}
