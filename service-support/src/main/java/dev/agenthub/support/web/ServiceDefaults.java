package dev.agenthub.support.web;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Defaults every hub service shares ({@code hub/service-defaults.properties}: graceful
 * shutdown, health probes, Prometheus, log levels), as the lowest-precedence property
 * source so any configuration overrides them. Added before the application starts, not by
 * a {@code @PropertySource} during the refresh, so that its {@code logging.*} settings
 * apply too.
 */
public class ServiceDefaults implements EnvironmentPostProcessor {

	static final String NAME = "hubServiceDefaults";

	static final String LOCATION = "hub/service-defaults.properties";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(NAME)) {
			return;
		}
		try {
			environment.getPropertySources()
				.addLast(
						new ResourcePropertySource(NAME, new ClassPathResource(LOCATION, getClass().getClassLoader())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + LOCATION, ex);
		}
	}

}
