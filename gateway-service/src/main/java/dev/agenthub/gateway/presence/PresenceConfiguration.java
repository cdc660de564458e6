package dev.agenthub.gateway.presence;

import java.util.UUID;

import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.engine.HubEngineProperties;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The presence store: memory unless {@code hub.engine=redis}, like the engine. */
@Configuration(proxyBeanMethods = false)
class PresenceConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "hub.engine", havingValue = "redis")
	PresenceStore redisPresenceStore(StatefulRedisConnection<String, String> connection, HubEngineProperties engine,
			GatewayProperties properties) {
		return new RedisPresenceStore(connection, engine.keyPrefix(), nodeId(), properties.presenceTtl());
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
