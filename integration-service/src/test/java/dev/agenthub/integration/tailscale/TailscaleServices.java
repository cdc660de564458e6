package dev.agenthub.integration.tailscale;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import dev.agenthub.broker.Broker;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/** A {@link TailscaleService} wired as the application wires it, for tests. */
final class TailscaleServices {

	private TailscaleServices() {
	}

	/** With an API key against {@code apiUrl}, reading answers up to the size given. */
	static TailscaleService withApiKey(String apiUrl, String apiKey, DataSize maxResponseSize) {
		TailscaleProperties properties = new TailscaleProperties(URI.create(apiUrl), "-", apiKey, null, null, null,
				false, "ws-", Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
				Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(60), maxResponseSize);
		DefaultListableBeanFactory none = new DefaultListableBeanFactory();
		return new TailscaleConfiguration().tailscaleService(properties, none.getBeanProvider(WebClient.Builder.class),
				none.getBeanProvider(Clock.class), none.getBeanProvider(Broker.class),
				none.getBeanProvider(MeterRegistry.class));
	}

}
