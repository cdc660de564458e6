package dev.agenthub.gateway.warmup;

import dev.agenthub.broker.Broker;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.support.auth.WarmUpPass;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The warm-up and its health indicator ({@code warmUp}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmUpProperties.class)
class WarmUpConfiguration {

	@Bean
	GatewayWarmUp warmUp(WarmUpProperties properties, @Value("${hub.engine:memory}") String engine, WarmUpPass pass,
			Broker broker, GatewayProperties gateway) {
		// its clients are one user: at most half of a subject's share in flight, so that
		// closes the node has not handled yet never make it refuse the next
		int concurrency = Math.max(1, Math.min(properties.concurrency(), gateway.connectionsPerSubject() / 2));
		return new GatewayWarmUp(properties, properties.connectionsFor(engine), concurrency, pass, broker);
	}

}
