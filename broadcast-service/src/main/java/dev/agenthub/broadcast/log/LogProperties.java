package dev.agenthub.broadcast.log;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The durable log ({@code hub.log.*}).
 *
 * @param group the log feed's consumer group (one per durable log)
 * @param consumer this replica's name in the group ({@code hub.log.consumer}); when not
 * set, {@code HOSTNAME} (the pod name in Kubernetes), else the host name and process id:
 * each replica owns its pending entries, and a dead replica's are claimed by a live one
 * ({@code hub.broker.log-claim-idle})
 * @param batchSize events written per insert at most
 * @param batchDelay longest wait to fill a batch
 * @param retention how long events are kept
 * @param retentionInterval how often old events are deleted
 */
@ConfigurationProperties("hub.log")
public record LogProperties(@DefaultValue("broadcast-log") String group, String consumer,
		@DefaultValue("256") int batchSize, @DefaultValue("20ms") Duration batchDelay,
		@DefaultValue("30d") Duration retention, @DefaultValue("1h") Duration retentionInterval) {

	public LogProperties {
		// A placeholder inside @DefaultValue is never resolved: the name is derived here.
		consumer = ConsumerName.resolve(consumer, System.getenv());
	}

}
