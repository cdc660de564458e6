package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.agenthub.testsupport.CapturedLog;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceCoalescerTests {

	private final CapturedLog log = CapturedLog.of(PresenceCoalescer.class);

	@AfterEach
	void detach() {
		this.log.close();
	}

	@Test
	void aDeadEngineShouldCostTheLogOneLineNotOnePerUser() {
		// every announcement fails, as when the node's Redis connection is gone
		AtomicInteger tried = new AtomicInteger();
		PresenceCoalescer coalescer = new PresenceCoalescer(Duration.ofSeconds(1), Duration.ZERO, (change) -> {
			tried.incrementAndGet();
			return Mono.error(new RedisException("Connection is closed"));
		}, (user) -> Mono.just("online"));
		for (int i = 0; i < 1_000; i++) {
			coalescer.offer(new PresenceStore.Change("user-" + i, "offline", "online", "workspace:w" + i));
		}
		assertThat(tried).hasValue(1_000);
		assertThat(this.log.events()).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.startsWith("Presence of user-0 not announced")
			.contains("Connection is closed");
	}

}
