package dev.agenthub.integration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The integration service: the Tailscale API client (ephemeral auth keys, devices,
 * workspace offboarding) and the CDP shim release registry.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:hub/integration-service.properties")
public class IntegrationServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(IntegrationServiceApplication.class, args);
	}

}
