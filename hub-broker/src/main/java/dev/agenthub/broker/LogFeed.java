package dev.agenthub.broker;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every published event, for the durable log. Delivery is at least once: an entry not
 * {@linkplain #ack acknowledged} is delivered again to the consumer group, also after the
 * consumer's restart; consumers write idempotently.
 */
public interface LogFeed {

	/**
	 * Consumes the feed as a member of a consumer group: first entries delivered before
	 * but never acknowledged, then new ones. The flux is bounded by demand.
	 * @param group the consumer group (one per durable log)
	 * @param consumer this consumer's name within the group
	 */
	Flux<LogEntry> consume(String group, String consumer);

	/** Acknowledges entries so they are not delivered again. */
	Mono<Void> ack(String group, Iterable<LogEntry> entries);

	/**
	 * One entry of the feed.
	 *
	 * @param id the feed's id for the entry
	 * @param publication the event
	 */
	record LogEntry(String id, Publication publication) {

	}

}
