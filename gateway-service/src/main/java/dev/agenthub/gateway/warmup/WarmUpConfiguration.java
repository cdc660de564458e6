package dev.agenthub.gateway.warmup;

import dev.agenthub.broker.Broker;
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
			Broker broker) {
		return new GatewayWarmUp(properties, properties.connectionsFor(engine), pass, broker);
	}

}
