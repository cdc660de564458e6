package dev.agenthub.gateway.socketio;

import java.time.Duration;
import java.util.List;
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

	/** The share of records per user each store under test is made with. */
	static final int PER_USER = 20;

	/** The store under test (shared by the tests of a class; pids are unique). */
	abstract ResumeStore store();

	static String pid() {
		return "pid-" + UUID.randomUUID();
	}

	/** A record told apart by its client id. */
	static ResumeRecord record(String clientId) {
		return record("alice", clientId);
	}

	/** A record of a user, told apart by its client id. */
	static ResumeRecord record(String subject, String clientId) {
		return new ResumeRecord(subject, clientId, "socket-1",
				List.of(new ResumeRecord.Position("workspace:w1", true, "e1", 12),
						new ResumeRecord.Position("chat:w1:general", false, "e2", 4)),
				List.of("workspace:w1@11", "chat:w1:general@4", "workspace:w1@12"), false);
	}

	@Test
	void shouldTakeARecordExactlyOnce() {
		String pid = pid();
		store().save(pid, record("c1"), Duration.ofMinutes(1)).block(WAIT);
		// every field comes back as it was saved
		assertThat(store().take(pid, "alice").block(WAIT)).isEqualTo(record("c1"));
		assertThat(store().take(pid, "alice").blockOptional(WAIT)).isEmpty();
	}

	@Test
	void shouldGiveARecordToItsOwnUserOnlyAndKeepItFromOthers() {
		String pid = pid();
		store().save(pid, record("mine"), Duration.ofMinutes(1)).block(WAIT);
		// another user presenting the pid (leaked, guessed) takes nothing and spoils
		// nothing
		assertThat(store().take(pid, "mallory").blockOptional(WAIT)).isEmpty();
		assertThat(store().take(pid, "alice").block(WAIT)).isEqualTo(record("mine"));
	}

	@Test
	void shouldKnowNothingOfAnUnknownPid() {
		assertThat(store().take(pid(), "alice").blockOptional(WAIT)).isEmpty();
	}

	@Test
	void shouldKeepTheLatestRecordOfAPid() {
		String pid = pid();
		store().save(pid, record("first"), Duration.ofMinutes(1)).block(WAIT);
		store().save(pid, record("second"), Duration.ofMinutes(1)).block(WAIT);
		assertThat(store().take(pid, "alice").block(WAIT)).isEqualTo(record("second"));
	}

	@Test
	void shouldKeepRecordsApart() {
		String a = pid();
		String b = pid();
		store().save(a, record("a"), Duration.ofMinutes(1)).block(WAIT);
		store().save(b, record("b"), Duration.ofMinutes(1)).block(WAIT);
		assertThat(store().take(b, "alice").block(WAIT)).isEqualTo(record("b"));
		assertThat(store().take(a, "alice").block(WAIT)).isEqualTo(record("a"));
	}

	@Test
	void shouldForgetARecordOnceItsTimeIsUp() {
		String pid = pid();
		store().save(pid, record("short"), Duration.ofMillis(1)).block(WAIT);
		// Taken after its TTL (polling never takes it early: the first take decides).
		await().pollDelay(Duration.ofMillis(50)).atMost(WAIT).until(() -> true);
		assertThat(store().take(pid, "alice").blockOptional(WAIT)).isEmpty();
	}

	/**
	 * The attack: one user dropping sockets again and again, each drop saving a record,
	 * to fill the store (then nobody else's drop is recovered) or grow Redis. The user
	 * keeps no more than its share, and another user's record is kept and recovered.
	 */
	@Test
	void shouldKeepNoMoreThanAUsersShareOfRecordsAndOtherUsersRecords() {
		String flooder = "flooder-" + UUID.randomUUID();
		List<String> pids = new java.util.ArrayList<>();
		for (int i = 0; i < PER_USER + 10; i++) {
			String pid = pid();
			pids.add(pid);
			store().save(pid, record(flooder, "f" + i), Duration.ofMinutes(1)).block(WAIT);
		}
		String bob = "bob-" + UUID.randomUUID();
		String other = pid();
		store().save(other, record(bob, "bob-tab"), Duration.ofMinutes(1)).block(WAIT);
		long kept = pids.stream().filter((pid) -> store().take(pid, flooder).blockOptional(WAIT).isPresent()).count();
		assertThat(kept).as("the flooder's records kept").isEqualTo(PER_USER);
		assertThat(store().take(other, bob).block(WAIT)).isEqualTo(record(bob, "bob-tab"));
	}

}
