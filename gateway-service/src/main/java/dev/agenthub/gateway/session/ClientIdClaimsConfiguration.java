package dev.agenthub.gateway.session;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.engine.HubEngineProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link ClientIdClaims}: Redis on the Redis engines, else memory. */
@Configuration(proxyBeanMethods = false)
class ClientIdClaimsConfiguration {

	/** Most client ids the memory store keeps claimed. */
	static final int MEMORY_CAPACITY = 500_000;

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnExpression("'${hub.engine:memory}'.startsWith('redis')")
	ClientIdClaims redisClientIdClaims(RedisEngine redis, HubEngineProperties engine, GatewayProperties gateway) {
		return new RedisClientIdClaims(redis, engine.keyPrefix(), gateway.clientIdsPerUser());
	}

	@Bean
	@ConditionalOnMissingBean
	ClientIdClaims inMemoryClientIdClaims(GatewayProperties gateway) {
		return new InMemoryClientIdClaims(MEMORY_CAPACITY, gateway.clientIdsPerUser());
	}

}
