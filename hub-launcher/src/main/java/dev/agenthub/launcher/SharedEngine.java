package dev.agenthub.launcher;

import dev.agenthub.support.engine.EngineConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The parent context: the one engine (memory by default, Redis with
 * {@code HUB_ENGINE=redis}) that every service of the process shares. The services' own
 * engine beans back off because these exist.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(EngineConfiguration.class)
class SharedEngine {

}
