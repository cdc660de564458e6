package dev.agenthub.broadcast.log;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Deletes events older than {@code hub.log.retention}, every
 * {@code hub.log.retention-interval}.
 */
@Component
public class RetentionJob implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RetentionJob.class);

	private final EventLogRepository repository;

	private final LogProperties properties;

	private volatile Disposable task;

	public RetentionJob(EventLogRepository repository, LogProperties properties) {
		this.repository = repository;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.task = Flux.interval(this.properties.retentionInterval())
			.concatMap((tick) -> this.repository.deleteBefore(Instant.now().minus(this.properties.retention()))
				.doOnNext((deleted) -> logger.info("Retention deleted {} events", deleted))
				.onErrorResume((ex) -> {
					// Retention retries at the next tick; the log keeps working
					// meanwhile.
					logger.warn("Retention failed: {}", ex.toString());
					return reactor.core.publisher.Mono.empty();
				}))
			.subscribe();
	}

	@Override
	public void stop() {
		if (this.task != null) {
			this.task.dispose();
		}
		this.task = null;
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
