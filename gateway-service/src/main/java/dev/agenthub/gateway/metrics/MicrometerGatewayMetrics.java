package dev.agenthub.gateway.metrics;

import java.time.Duration;
import java.time.Instant;

import dev.agenthub.gateway.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** {@link GatewayMetrics} on Micrometer (scraped at {@code /actuator/prometheus}). */
public class MicrometerGatewayMetrics implements GatewayMetrics {

	private final Counter messagesIn;

	private final Counter messagesOut;

	private final Timer latency;

	private final Counter slowReaders;

	private final Counter rateLimited;

	private final Counter recovered;

	private final Counter notRecovered;

	private final Timer presenceListings;

	public MicrometerGatewayMetrics(MeterRegistry registry, SessionRegistry sessions) {
		Gauge.builder(GatewayMeters.CONNECTIONS.meterName(), sessions, (s) -> s.authenticated())
			.tag(GatewayMeters.TAG_AUTHENTICATED, "true")
			.description("Open WebSocket connections")
			.register(registry);
		Gauge.builder(GatewayMeters.CONNECTIONS.meterName(), sessions, (s) -> s.size() - s.authenticated())
			.tag(GatewayMeters.TAG_AUTHENTICATED, "false")
			.description("Open WebSocket connections")
			.register(registry);
		Gauge.builder(GatewayMeters.SUBSCRIPTIONS.meterName(), sessions, SessionRegistry::subscriptions)
			.description("Explicit subscriptions of all connections")
			.register(registry);
		this.messagesIn = Counter.builder(GatewayMeters.MESSAGES_IN.meterName())
			.description("Messages received from clients")
			.register(registry);
		this.messagesOut = Counter.builder(GatewayMeters.MESSAGES_OUT.meterName())
			.description("Frames queued to clients")
			.register(registry);
		this.latency = Timer.builder(GatewayMeters.DELIVERY_LATENCY.meterName())
			.description("Publish to socket queue, once per event per node")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
		this.slowReaders = closes(registry, "slow_reader");
		this.rateLimited = closes(registry, "rate_limited");
		this.recovered = recoveries(registry, "recovered");
		this.notRecovered = recoveries(registry, "not_recovered");
		this.presenceListings = Timer.builder(GatewayMeters.PRESENCE_LISTINGS.meterName())
			.description("Reads of everyone online from the presence store")
			.register(registry);
	}

	private static Counter closes(MeterRegistry registry, String reason) {
		return Counter.builder(GatewayMeters.CLOSES.meterName())
			.tag(GatewayMeters.TAG_REASON, reason)
			.description("Connections closed by the gateway")
			.register(registry);
	}

	private static Counter recoveries(MeterRegistry registry, String outcome) {
		return Counter.builder(GatewayMeters.RECOVERIES.meterName())
			.tag(GatewayMeters.TAG_OUTCOME, outcome)
			.description("Subscriptions that asked for recovery")
			.register(registry);
	}

	@Override
	public void messageIn() {
		this.messagesIn.increment();
	}

	@Override
	public void messageOut() {
		this.messagesOut.increment();
	}

	@Override
	public void delivered(Instant published) {
		long nanos = Duration.between(published, Instant.now()).toNanos();
		// Clocks of other hosts may run ahead: count that as no delay, not as negative.
		this.latency.record(Duration.ofNanos(Math.max(0, nanos)));
	}

	@Override
	public void slowReaderClosed() {
		this.slowReaders.increment();
	}

	@Override
	public void rateLimitClosed() {
		this.rateLimited.increment();
	}

	@Override
	public void recovery(boolean recovered) {
		(recovered ? this.recovered : this.notRecovered).increment();
	}

	@Override
	public void presenceListed(Duration took) {
		this.presenceListings.record(took);
	}

}
