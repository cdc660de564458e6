package dev.agenthub.support.engine;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The channel engine's settings ({@code hub.broker.*}); which engine runs is
 * {@code hub.engine} ({@code HUB_ENGINE}): {@code memory} (default), {@code redis} or
 * {@code redis-cluster}.
 *
 * @param keyPrefix prefix of every Redis key and pub/sub channel
 * @param historySize events kept per channel for recovery from the engine
 * @param historyTtl how long a quiet channel's history is kept
 * @param metaTtl how long a quiet channel's epoch and offset are kept
 * @param logSize events the durable-log stream keeps for a lagging log writer
 * @param memoryLogCapacity memory engine: events queued for the log writer
 * @param partitions Redis Cluster: partitions the channels are spread over, each with its
 * own hash slot, log stream and sharded pub/sub (fixed for the life of the data: changing
 * it moves every channel to a new epoch); a few per master
 * @param logClaimIdle Redis engines: how long an entry of the log feed stays pending at a
 * consumer (a log writer replica) before a live one takes it over
 */
@ConfigurationProperties("hub.broker")
public record HubEngineProperties(@DefaultValue("hub:") String keyPrefix, @DefaultValue("1000") int historySize,
		@DefaultValue("1d") Duration historyTtl, @DefaultValue("7d") Duration metaTtl,
		@DefaultValue("1000000") long logSize, @DefaultValue("100000") int memoryLogCapacity,
		@DefaultValue("16") int partitions, @DefaultValue("30s") Duration logClaimIdle) {

}
