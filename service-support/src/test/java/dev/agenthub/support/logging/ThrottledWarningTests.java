package dev.agenthub.support.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.agenthub.testsupport.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledWarningTests {

	private final CapturedLog log = CapturedLog.of(ThrottledWarningTests.class);

	private final AtomicLong now = new AtomicLong(1_000);

	private final ThrottledWarning warning = new ThrottledWarning(LoggerFactory.getLogger(ThrottledWarningTests.class),
			Duration.ofSeconds(10), this.now::get);

	@AfterEach
	void detach() {
		this.log.close();
	}

	@Test
	void aFailureForEveryConnectionShouldBeOneLineAnIntervalWithTheCountOfTheRest() {
		for (int i = 0; i < 10_000; i++) {
			this.warning.warn("Presence of {} not announced: {}", "user-" + i, "Connection is closed");
		}
		assertThat(this.log.events()).singleElement()
			.extracting(ILoggingEvent::getFormattedMessage)
			.isEqualTo("Presence of user-0 not announced: Connection is closed");
		assertThat(this.warning.leftOut()).isEqualTo(9_999);

		this.now.addAndGet(Duration.ofSeconds(10).toNanos());
		this.warning.warn("Presence of {} not announced: {}", "user-x", "Connection is closed");
		assertThat(this.log.events()).hasSize(2);
		assertThat(this.log.events().get(1).getFormattedMessage()).isEqualTo(
				"Presence of user-x not announced: Connection is closed (9999 more like it left out of the log)");
		assertThat(this.warning.leftOut()).isZero();
	}

	@Test
	void warningsFarApartShouldAllBeLogged() {
		for (int i = 0; i < 3; i++) {
			this.warning.warn("step {} failed", i);
			this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		}
		assertThat(this.log.events()).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("step 0 failed", "step 1 failed", "step 2 failed");
	}

}
