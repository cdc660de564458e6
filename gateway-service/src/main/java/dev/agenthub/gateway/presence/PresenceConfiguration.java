package dev.agenthub.gateway.presence;

import java.util.UUID;

import dev.agenthub.broker.redis.RedisEngine;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.engine.HubEngineProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The presence store: memory unless {@code hub.engine=redis} or {@code redis-cluster},
 * like the engine.
 */
@Configuration(proxyBeanMethods = false)
class PresenceConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnExpression("'${hub.engine:memory}'.startsWith('redis')")
	PresenceStore redisPresenceStore(RedisEngine redis, HubEngineProperties engine, GatewayProperties properties) {
		return new RedisPresenceStore(redis, engine.keyPrefix(), nodeId(), properties.presenceTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "hub.engine", havingValue = "memory", matchIfMissing = true)
	PresenceStore inMemoryPresenceStore(GatewayProperties properties) {
		return new InMemoryPresenceStore(new InMemoryPresenceStore.Space(), nodeId(), properties.presenceTtl());
	}

	/** A node id per application context (tests run several gateways in one JVM). */
	private static String nodeId() {
		return UUID.randomUUID().toString();
	}

}
