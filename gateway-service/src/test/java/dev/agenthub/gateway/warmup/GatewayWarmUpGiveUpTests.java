package dev.agenthub.gateway.warmup;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.support.auth.HubAuthProperties;
import dev.agenthub.support.auth.WarmUpPass;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A gateway whose every connect fails during its warm-up (its Redis died as it started:
 * each connect is refused) stops warming up after a few dozen failures instead of trying
 * all of its thousands of clients, each a refused connect and a line of its log. Before,
 * it went through every one (2,950 log lines in one such start).
 */
class GatewayWarmUpGiveUpTests {

	static final int CLIENTS = 2000;

	static final int CONCURRENCY = 8;

	@Test
	void shouldStopOnceFarMoreClientsFailThanAreServed() {
		AtomicInteger connects = new AtomicInteger();
		DisposableServer refusing = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			connects.incrementAndGet();
			return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
		}).bindNow();
		try {
			GatewayWarmUp warmUp = new GatewayWarmUp(
					new WarmUpProperties(CLIENTS, CONCURRENCY, 2, Duration.ofSeconds(60)), CLIENTS, CONCURRENCY,
					new WarmUpPass(new HubAuthProperties("warm-up-give-up-secret-0123456789-0123", null, false)),
					new InMemoryBroker(100, new InMemoryLogFeed(1000)));

			assertThatIllegalStateException()
				.isThrownBy(() -> warmUp.run(refusing.port()).block(Duration.ofSeconds(60)))
				.withMessageStartingWith(GatewayWarmUp.GIVE_UP_AFTER + " more clients failed than were served");
			// those in flight when it gave up may have connected too, no more
			assertThat(connects.get()).isBetween(GatewayWarmUp.GIVE_UP_AFTER,
					GatewayWarmUp.GIVE_UP_AFTER + CONCURRENCY);
		}
		finally {
			refusing.disposeNow();
		}
	}

}
