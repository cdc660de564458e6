package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceCoalescerTests {

	private final Logger logger = (Logger) LoggerFactory.getLogger(PresenceCoalescer.class);

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	@BeforeEach
	void attach() {
		this.log.start();
		this.logger.addAppender(this.log);
	}

	@AfterEach
	void detach() {
		this.logger.detachAppender(this.log);
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
		assertThat(this.log.list).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.startsWith("Presence of user-0 not announced")
			.contains("Connection is closed");
	}

}
