package dev.agenthub.broadcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.PropertySource;

/** The event log service: durable log, history, sync and the server publish API. */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:hub/broadcast-service.properties")
public class BroadcastServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(BroadcastServiceApplication.class, args);
	}

}
