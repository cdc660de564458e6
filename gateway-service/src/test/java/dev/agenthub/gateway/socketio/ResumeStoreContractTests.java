package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link ResumeStore} must have; each store's test extends this
 * class.
 */
abstract class ResumeStoreContractTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** The store under test (shared by the tests of a class; pids are unique). */
	abstract ResumeStore store();

	static String pid() {
		return "pid-" + UUID.randomUUID();
	}

	@Test
	void shouldTakeARecordExactlyOnce() {
		String pid = pid();
		store().save(pid, "{\"channels\":{\"a\":3}}", Duration.ofMinutes(1)).block(WAIT);
		assertThat(store().take(pid).block(WAIT)).isEqualTo("{\"channels\":{\"a\":3}}");
		assertThat(store().take(pid).blockOptional(WAIT)).isEmpty();
	}

	@Test
	void shouldKnowNothingOfAnUnknownPid() {
		assertThat(store().take(pid()).blockOptional(WAIT)).isEmpty();
	}

	@Test
	void shouldKeepTheLatestRecordOfAPid() {
		String pid = pid();
		store().save(pid, "first", Duration.ofMinutes(1)).block(WAIT);
		store().save(pid, "second", Duration.ofMinutes(1)).block(WAIT);
		assertThat(store().take(pid).block(WAIT)).isEqualTo("second");
	}

	@Test
	void shouldKeepRecordsApart() {
		String a = pid();
		String b = pid();
		store().save(a, "a", Duration.ofMinutes(1)).block(WAIT);
		store().save(b, "b", Duration.ofMinutes(1)).block(WAIT);
		assertThat(store().take(b).block(WAIT)).isEqualTo("b");
		assertThat(store().take(a).block(WAIT)).isEqualTo("a");
	}

	@Test
	void shouldForgetARecordOnceItsTimeIsUp() {
		String pid = pid();
		store().save(pid, "short", Duration.ofMillis(1)).block(WAIT);
		// Taken after its TTL (polling never takes it early: the first take decides).
		await().pollDelay(Duration.ofMillis(50)).atMost(WAIT).until(() -> true);
		assertThat(store().take(pid).blockOptional(WAIT)).isEmpty();
	}

}
