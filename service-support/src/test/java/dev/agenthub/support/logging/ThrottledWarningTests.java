package dev.agenthub.support.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledWarningTests {

	private final Logger logger = (Logger) LoggerFactory.getLogger(ThrottledWarningTests.class);

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final AtomicLong now = new AtomicLong(1_000);

	private final ThrottledWarning warning = new ThrottledWarning(this.logger, Duration.ofSeconds(10), this.now::get);

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
	void aFailureForEveryConnectionShouldBeOneLineAnIntervalWithTheCountOfTheRest() {
		for (int i = 0; i < 10_000; i++) {
			this.warning.warn("Presence of {} not announced: {}", "user-" + i, "Connection is closed");
		}
		assertThat(this.log.list).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.isEqualTo("Presence of user-0 not announced: Connection is closed");
		assertThat(this.warning.leftOut()).isEqualTo(9_999);

		this.now.addAndGet(Duration.ofSeconds(10).toNanos());
		this.warning.warn("Presence of {} not announced: {}", "user-x", "Connection is closed");
		assertThat(this.log.list).hasSize(2);
		assertThat(this.log.list.get(1).getFormattedMessage()).isEqualTo(
				"Presence of user-x not announced: Connection is closed (9999 more like it left out of the log)");
		assertThat(this.warning.leftOut()).isZero();
	}

	@Test
	void warningsFarApartShouldAllBeLogged() {
		for (int i = 0; i < 3; i++) {
			this.warning.warn("step {} failed", i);
			this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		}
		assertThat(this.log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("step 0 failed", "step 1 failed", "step 2 failed");
	}

}
