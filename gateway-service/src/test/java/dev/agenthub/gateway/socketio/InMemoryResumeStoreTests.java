package dev.agenthub.gateway.socketio;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryResumeStoreTests extends ResumeStoreContractTests {

	private final InMemoryResumeStore store = new InMemoryResumeStore(1000);

	@Override
	ResumeStore store() {
		return this.store;
	}

	@Test
	void shouldRefuseNewRecordsWhenFullOfLiveOnes() {
		InMemoryResumeStore small = new InMemoryResumeStore(2);
		small.save("a", record("a"), Duration.ofMinutes(1)).block(WAIT);
		small.save("b", record("b"), Duration.ofMinutes(1)).block(WAIT);
		small.save("c", record("c"), Duration.ofMinutes(1)).block(WAIT);
		assertThat(small.take("c", "alice").blockOptional(WAIT)).isEmpty();
		assertThat(small.take("a", "alice").block(WAIT)).isEqualTo(record("a"));
	}

}
