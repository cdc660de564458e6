package dev.agenthub.support.engine;

import java.time.Duration;
import java.util.List;

import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 * @param historyBytes bytes of events kept per channel for recovery from the engine (the
 * newest event is always kept)
 * @param logBytes bytes of events each durable-log stream keeps (Redis engines), or the
 * memory engine's queue to the log writer, beside {@code memoryLogCapacity}
 * @param ephemeralPrefixes channels that get no engine state until something is published
 * on them (the implicit per-connection {@code client:} channels)
 * @param ephemeralTtl how long an ephemeral channel's state outlives its last use
 */
@ConfigurationProperties("hub.broker")
public record HubEngineProperties(@DefaultValue("hub:") String keyPrefix, @DefaultValue("1000") int historySize,
		@DefaultValue("1d") Duration historyTtl, @DefaultValue("7d") Duration metaTtl,
		@DefaultValue("1000000") long logSize, @DefaultValue("100000") int memoryLogCapacity,
		@DefaultValue("16") int partitions, @DefaultValue("30s") Duration logClaimIdle,
		@DefaultValue("4MB") DataSize historyBytes, @DefaultValue("512MB") DataSize logBytes,
		@DefaultValue("client:") List<String> ephemeralPrefixes, @DefaultValue("10m") Duration ephemeralTtl) {

	/** The Redis engines' options (0 partitions: one Redis). */
	public RedisBrokerOptions redisOptions(int partitions) {
		return new RedisBrokerOptions(this.keyPrefix, this.historySize, this.historyTtl, this.metaTtl, this.logSize,
				partitions, this.historyBytes.toBytes(), this.logBytes.toBytes(), this.ephemeralPrefixes,
				this.ephemeralTtl);
	}

	/** The memory engine's bounds (a channel is forgotten after the history TTL idle). */
	public InMemoryBroker.Limits memoryLimits() {
		return new InMemoryBroker.Limits(this.historySize, this.historyBytes.toBytes(), this.historyTtl,
				this.ephemeralPrefixes, this.ephemeralTtl);
	}

}
