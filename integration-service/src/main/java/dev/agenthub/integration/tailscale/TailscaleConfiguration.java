package dev.agenthub.integration.tailscale;

import java.time.Clock;

import dev.agenthub.broker.Broker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Wires the Tailscale client from {@link TailscaleProperties}: an API token or an OAuth
 * client; without either the service still starts and the endpoints answer 503.
 */
@Configuration(proxyBeanMethods = false)
class TailscaleConfiguration {

	@Bean
	TailscaleService tailscaleService(TailscaleProperties properties, ObjectProvider<WebClient.Builder> builders,
			ObjectProvider<Clock> clocks, ObjectProvider<Broker> brokers, ObjectProvider<MeterRegistry> registries) {
		TailscaleMetrics metrics = new TailscaleMetrics(registries.getIfAvailable(SimpleMeterRegistry::new));
		return new TailscaleService(properties, api(properties, builders, clocks, metrics), brokers.getIfAvailable(),
				metrics);
	}

	private static TailscaleApi api(TailscaleProperties properties, ObjectProvider<WebClient.Builder> builders,
			ObjectProvider<Clock> clocks, TailscaleMetrics metrics) {
		if (!properties.configured()) {
			return null;
		}
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.requestTimeout());
		WebClient web = builders.getIfAvailable(WebClient::builder)
			.clone()
			.baseUrl(properties.apiUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(http))
			// A tailnet's device list comes whole in one answer: past the default 256 KB
			// (some 300 devices) listing and offboarding failed.
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxResponseSize().toBytes()))
			.build();
		RetryPolicy retry = new RetryPolicy(properties.maxRetries(), properties.retryBackoff(),
				properties.maxRetryDelay(), metrics);
		TailscaleCredentials credentials = switch (properties.credentialKind()) {
			case API_KEY -> () -> Mono.just(properties.apiKey());
			case OAUTH_CLIENT ->
				new OAuthClientCredentials(web, properties, clocks.getIfAvailable(Clock::systemUTC), retry);
			case NONE -> throw new IllegalStateException("not configured");
		};
		return new TailscaleApi(web, credentials, properties.tailnet(), properties.requestTimeout(), retry,
				properties.maxResponseSize());
	}

}
