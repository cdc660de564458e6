package dev.agenthub.broadcast.changes;

import java.time.Instant;

import dev.agenthub.broadcast.log.LogProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Keeps the change log as long as the event log ({@code hub.log.retention}). */
@Component
class ChangeRetention implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeRetention.class);

	private final ChangeLog log;

	private final LogProperties properties;

	private volatile Disposable task;

	ChangeRetention(ChangeLog log, LogProperties properties) {
		this.log = log;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.task = Flux.interval(this.properties.retentionInterval())
			.concatMap((tick) -> this.log.deleteBefore(Instant.now().minus(this.properties.retention()))
				.doOnNext((deleted) -> logger.info("Retention deleted {} entity changes", deleted))
				.onErrorResume((ex) -> {
					// Retried at the next tick; recording and sync keep working
					// meanwhile.
					logger.warn("Change retention failed: {}", ex.toString());
					return Mono.empty();
				}))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.task;
		if (current != null) {
			current.dispose();
		}
		this.task = null;
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
