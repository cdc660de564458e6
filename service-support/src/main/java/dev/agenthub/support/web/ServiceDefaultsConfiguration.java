package dev.agenthub.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.PropertySource;

/**
 * Defaults every hub service shares (graceful shutdown, health probes, Prometheus), as
 * the lowest-precedence property source so any configuration overrides them.
 */
@AutoConfiguration
@PropertySource("classpath:hub/service-defaults.properties")
public class ServiceDefaultsConfiguration {

}
