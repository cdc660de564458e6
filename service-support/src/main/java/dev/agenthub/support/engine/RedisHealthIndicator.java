package dev.agenthub.support.engine;

import java.time.Duration;
import java.util.function.Supplier;

import dev.agenthub.broker.redis.RedisEngine;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/** Redis is healthy when it answers {@code PING} within a second. */
public class RedisHealthIndicator extends AbstractReactiveHealthIndicator {

	private final Supplier<Mono<String>> ping;

	public RedisHealthIndicator(StatefulRedisConnection<String, String> connection) {
		this.ping = () -> connection.reactive().ping();
	}

	/** Pings the engine's Redis (on a cluster, the node of its default connection). */
	public RedisHealthIndicator(RedisEngine engine) {
		this.ping = engine::ping;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return this.ping.get()
			.timeout(Duration.ofSeconds(1))
			.map((pong) -> builder.up().withDetail("ping", pong).build());
	}

}
