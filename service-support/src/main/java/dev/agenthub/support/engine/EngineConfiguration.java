package dev.agenthub.support.engine;

import java.time.Clock;
import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.CoalescingBroker;
import dev.agenthub.broker.LogFeed;
import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.broker.redis.RedisLogFeed;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Wires the channel engine: memory unless {@code hub.engine=redis} (one Redis) or
 * {@code redis-cluster} (a Redis Cluster, {@code hub.redis.cluster-nodes}). Every bean
 * backs off when one exists already, so the single-process hub can share one engine among
 * its services from a parent context.
 */
@AutoConfiguration
@EnableConfigurationProperties({ HubEngineProperties.class, RedisProperties.class })
public class EngineConfiguration {

	/** The memory engine (the default). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "hub.engine", havingValue = "memory", matchIfMissing = true)
	static class Memory {

		@Bean
		@ConditionalOnMissingBean
		InMemoryLogFeed inMemoryLogFeed(HubEngineProperties properties) {
			return new InMemoryLogFeed(properties.memoryLogCapacity(), properties.logBytes().toBytes());
		}

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		InMemoryBroker inMemoryBroker(HubEngineProperties properties, InMemoryLogFeed logFeed) {
			return new InMemoryBroker(properties.memoryLimits(), logFeed, Clock.systemUTC());
		}

	}

	/**
	 * The Redis client's resources for either Redis engine: its event loops, and the
	 * latency of every command it sends as a metric ({@link RedisCommandLatency}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnExpression("'${hub.engine:memory}' != 'memory'")
	static class RedisResources {

		@Bean
		@ConditionalOnMissingBean
		RedisCommandLatency hubRedisCommandLatency() {
			return new RedisCommandLatency();
		}

		@Bean(destroyMethod = "shutdown")
		@ConditionalOnMissingBean
		ClientResources hubRedisResources(RedisCommandLatency latency) {
			return ClientResources.builder().commandLatencyRecorder(latency).build();
		}

		/**
		 * Binds the latencies to this context's registry — also in a service of the
		 * one-process hub, whose engine (and its recorder) the parent holds.
		 */
		@Bean
		MeterBinder hubRedisCommandLatencyBinder(RedisCommandLatency latency) {
			return latency.binder();
		}

	}

	/** The Redis engine. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "hub.engine", havingValue = "redis")
	static class Redis {

		@Bean(destroyMethod = "shutdown")
		@ConditionalOnMissingBean
		RedisClient hubRedisClient(RedisProperties properties, ClientResources resources) {
			RedisClient client = RedisClient.create(resources, RedisURI.create(properties.url()));
			client.setOptions(ClientOptions.builder()
				.timeoutOptions(TimeoutOptions.enabled(properties.timeout()))
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.requestQueueSize(properties.requestQueue())
				.build());
			return client;
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		StatefulRedisConnection<String, String> hubRedisConnection(RedisClient client) {
			return client.connect();
		}

		@Bean
		@ConditionalOnMissingBean
		RedisBrokerOptions redisBrokerOptions(HubEngineProperties properties) {
			return properties.redisOptions(0);
		}

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		Broker redisBroker(RedisClient client, StatefulRedisConnection<String, String> connection,
				RedisBrokerOptions options) {
			// identical reads share a round trip: a crowd resuming on one node reads one
			// channel from one offset
			return new CoalescingBroker(new RedisBroker(connection, client.connectPubSub(), options));
		}

		@Bean
		@Lazy
		@ConditionalOnMissingBean(LogFeed.class)
		RedisLogFeed redisLogFeed(RedisClient client, StatefulRedisConnection<String, String> connection,
				RedisBrokerOptions options, HubEngineProperties properties) {
			// The feed's blocking reads need a connection of their own.
			return new RedisLogFeed(client.connect(), connection, options, properties.logClaimIdle());
		}

		@Bean
		@ConditionalOnMissingBean
		RedisEngine hubRedisEngine(RedisClient client, StatefulRedisConnection<String, String> connection) {
			return RedisEngine.of(client, connection);
		}

		@Bean
		RedisHealthIndicator redisHealthIndicator(StatefulRedisConnection<String, String> connection) {
			return new RedisHealthIndicator(connection);
		}

	}

	/**
	 * The Redis Cluster engine: channels spread over {@code hub.broker.partitions} hash
	 * slots, live delivery by sharded pub/sub, one log stream per partition.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "hub.engine", havingValue = "redis-cluster")
	static class RedisCluster {

		@Bean(destroyMethod = "shutdown")
		@ConditionalOnMissingBean
		RedisClusterClient hubRedisClusterClient(RedisProperties properties, ClientResources resources) {
			if (properties.clusterNodes().isEmpty()) {
				throw new IllegalStateException(
						"hub.engine=redis-cluster needs hub.redis.cluster-nodes (HUB_REDIS_CLUSTER_NODES=host:port,...)");
			}
			List<RedisURI> seeds = properties.clusterNodes().stream().map(EngineConfiguration::seed).toList();
			RedisClusterClient client = RedisClusterClient.create(resources, seeds);
			client.setOptions(ClusterClientOptions.builder()
				.timeoutOptions(TimeoutOptions.enabled(properties.timeout()))
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.requestQueueSize(properties.requestQueue())
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enablePeriodicRefresh(properties.topologyRefresh())
					.enableAllAdaptiveRefreshTriggers()
					.build())
				.build());
			return client;
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		StatefulRedisClusterConnection<String, String> hubRedisClusterConnection(RedisClusterClient client) {
			return client.connect();
		}

		@Bean
		@ConditionalOnMissingBean
		RedisBrokerOptions redisBrokerOptions(HubEngineProperties properties) {
			return properties.redisOptions(properties.partitions());
		}

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		Broker redisBroker(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
				RedisBrokerOptions options) {
			return new CoalescingBroker(new RedisBroker(connection, client.connectPubSub(), options));
		}

		@Bean
		@Lazy
		@ConditionalOnMissingBean(LogFeed.class)
		RedisLogFeed redisLogFeed(StatefulRedisClusterConnection<String, String> connection, RedisBrokerOptions options,
				HubEngineProperties properties) {
			return new RedisLogFeed(connection, options, properties.logClaimIdle());
		}

		@Bean
		@ConditionalOnMissingBean
		RedisEngine hubRedisEngine(RedisClusterClient client,
				StatefulRedisClusterConnection<String, String> connection) {
			return RedisEngine.of(client, connection);
		}

		@Bean
		RedisHealthIndicator redisHealthIndicator(RedisEngine engine) {
			return new RedisHealthIndicator(engine);
		}

	}

	private static RedisURI seed(String node) {
		String trimmed = node.trim();
		int colon = trimmed.lastIndexOf(':');
		if (colon < 1) {
			throw new IllegalArgumentException("A cluster node is host:port, not " + trimmed);
		}
		return RedisURI.create(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
	}

}
