package dev.agenthub.gateway.socketio;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryResumeStoreTests extends ResumeStoreContractTests {

	private final InMemoryResumeStore store = new InMemoryResumeStore(1000, PER_USER);

	@Override
	ResumeStore store() {
		return this.store;
	}

	@Test
	void shouldRefuseNewRecordsWhenFullOfLiveOnes() {
		InMemoryResumeStore small = new InMemoryResumeStore(2, PER_USER);
		small.save("a", record("a"), Duration.ofMinutes(1)).block(WAIT);
		small.save("b", record("b"), Duration.ofMinutes(1)).block(WAIT);
		small.save("c", record("c"), Duration.ofMinutes(1)).block(WAIT);
		assertThat(small.take("c", "alice").blockOptional(WAIT)).isEmpty();
		assertThat(small.take("a", "alice").block(WAIT)).isEqualTo(record("a"));
	}

	/**
	 * A user past its share loses its oldest record, not its newest (the socket most
	 * likely to reconnect), and a store a flooder would have filled takes other users'
	 * records.
	 */
	@Test
	void shouldDropAUsersOldestRecordPastItsShareAndLeaveRoomForOthers() {
		InMemoryResumeStore small = new InMemoryResumeStore(PER_USER + 1, PER_USER);
		for (int i = 0; i < 3 * PER_USER; i++) {
			small.save("f" + i, record("flooder", "f" + i), Duration.ofMinutes(1)).block(WAIT);
		}
		small.save("bob", record("bob", "bob-tab"), Duration.ofMinutes(1)).block(WAIT);
		assertThat(small.take("bob", "bob").block(WAIT)).isEqualTo(record("bob", "bob-tab"));
		assertThat(small.take("f0", "flooder").blockOptional(WAIT)).as("the oldest").isEmpty();
		assertThat(small.take("f" + (3 * PER_USER - 1), "flooder").block(WAIT)).as("the newest")
			.isEqualTo(record("flooder", "f" + (3 * PER_USER - 1)));
	}

}
