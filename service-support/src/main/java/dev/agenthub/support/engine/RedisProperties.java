package dev.agenthub.support.engine;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis the hub uses with {@code hub.engine=redis} or {@code redis-cluster}
 * ({@code hub.redis.*}).
 *
 * @param url the Redis URL ({@code HUB_REDIS_URL}), e.g. {@code redis://127.0.0.1:6379}
 * @param timeout command timeout
 * @param clusterNodes with {@code hub.engine=redis-cluster}: seed nodes of the Redis
 * Cluster ({@code HUB_REDIS_CLUSTER_NODES}), {@code host:port,host:port,...}; the client
 * learns the rest of the topology from them
 * @param topologyRefresh with {@code redis-cluster}: how often the client rereads the
 * cluster's topology (it also does so at once on a redirect or a lost node)
 * @param requestQueue commands a connection to Redis holds sent and not yet answered, or
 * waiting to be sent ({@code HUB_REDIS_REQUEST_QUEUE}); past it a command is refused at
 * once, not sent (clients are told the event bus is unavailable, an agent's events wait
 * as for a Redis that is down), rather than queued to time out: a Redis too slow for its
 * load costs the node a bounded memory and fails fast
 */
@ConfigurationProperties("hub.redis")
public record RedisProperties(@DefaultValue("redis://127.0.0.1:6379") String url, @DefaultValue("5s") Duration timeout,
		@DefaultValue("") List<String> clusterNodes, @DefaultValue("10s") Duration topologyRefresh,
		@DefaultValue("20000") int requestQueue) {

	public RedisProperties {
		if (requestQueue < 100) {
			throw new IllegalArgumentException("hub.redis.request-queue must be at least 100");
		}
	}

}
