package dev.agenthub.support.engine;

import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/** Redis is healthy when it answers {@code PING} within a second. */
public class RedisHealthIndicator extends AbstractReactiveHealthIndicator {

	private final StatefulRedisConnection<String, String> connection;

	public RedisHealthIndicator(StatefulRedisConnection<String, String> connection) {
		this.connection = connection;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return this.connection.reactive()
			.ping()
			.timeout(Duration.ofSeconds(1))
			.map((pong) -> builder.up().withDetail("ping", pong).build());
	}

}
