package dev.agenthub.gateway.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryClientIdClaimsTests extends ClientIdClaimsContractTests {

	private final InMemoryClientIdClaims claims = new InMemoryClientIdClaims(1000, PER_USER);

	@Override
	ClientIdClaims claims() {
		return this.claims;
	}

	@Test
	void shouldRefuseNewIdsWhenFullOfLiveClaimsButKeepRenewingHeldOnes() {
		InMemoryClientIdClaims small = new InMemoryClientIdClaims(2, PER_USER);
		assertThat(small.claim("a", "alice", Duration.ofMinutes(1)).block(WAIT)).isTrue();
		assertThat(small.claim("b", "bob", Duration.ofMinutes(1)).block(WAIT)).isTrue();
		// full: a new id is never handed out (its connection gets a fresh id instead)
		assertThat(small.claim("c", "carol", Duration.ofMinutes(1)).block(WAIT)).isFalse();
		assertThat(small.claim("a", "alice", Duration.ofMinutes(1)).block(WAIT)).isTrue();
		assertThat(small.claim("b", "mallory", Duration.ofMinutes(1)).block(WAIT)).isFalse();
	}

}
