package dev.agenthub.broadcast;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The event log service: durable log, history, sync and the server publish API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BroadcastServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(BroadcastServiceApplication.class, args);
	}

}
