package dev.agenthub.broadcast.log;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The durable log ({@code hub.log.*}).
 *
 * @param group the log feed's consumer group (one per durable log)
 * @param consumer this instance's name in the group; stable across restarts so that its
 * unacknowledged entries come back to it ({@code HOSTNAME} in Kubernetes)
 * @param batchSize events written per insert at most
 * @param batchDelay longest wait to fill a batch
 * @param retention how long events are kept
 * @param retentionInterval how often old events are deleted
 */
@ConfigurationProperties("hub.log")
public record LogProperties(@DefaultValue("broadcast-log") String group,
		@DefaultValue("${HOSTNAME:broadcast-1}") String consumer, @DefaultValue("256") int batchSize,
		@DefaultValue("20ms") Duration batchDelay, @DefaultValue("30d") Duration retention,
		@DefaultValue("1h") Duration retentionInterval) {

}
