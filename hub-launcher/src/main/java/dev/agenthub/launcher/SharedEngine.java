package dev.agenthub.launcher;

import dev.agenthub.support.engine.EngineConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The parent context: the one engine (memory by default, Redis with
 * {@code HUB_ENGINE=redis}) that every service of the process shares, and Reactor Netty's
 * event loops that their servers share. The services' own engine beans and resource
 * factories back off because these exist.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(EngineConfiguration.class)
class SharedEngine {

	/**
	 * Reactor Netty's global event loops, disposed once, when the parent closes after
	 * every service. With a factory per service over the same global loops, the first
	 * service to close (integration-service) disposed them under the others, and the
	 * gateway's browsers and agent-service's agents were cut off (1006) instead of being
	 * drained with 1001.
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		return new ReactorResourceFactory();
	}

}
