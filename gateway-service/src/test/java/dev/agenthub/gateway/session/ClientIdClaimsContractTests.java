package dev.agenthub.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link ClientIdClaims} must have; each store's test extends this
 * class.
 */
abstract class ClientIdClaimsContractTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	/** The quota of new ids per user each store under test is made with. */
	static final int PER_USER = 20;

	/** The store under test (shared by the tests of a class; ids are unique). */
	abstract ClientIdClaims claims();

	static String id() {
		return "tab-" + UUID.randomUUID();
	}

	boolean claim(String clientId, String subject, Duration ttl) {
		return claims().claim(clientId, subject, ttl).block(WAIT);
	}

	@Test
	void shouldGiveAnIdToItsFirstUserOnly() {
		String id = id();
		assertThat(claim(id, "alice", Duration.ofMinutes(1))).isTrue();
		assertThat(claim(id, "alice", Duration.ofMinutes(1))).as("renewed by its holder").isTrue();
		assertThat(claim(id, "mallory", Duration.ofMinutes(1))).as("another user").isFalse();
		assertThat(claim(id, "alice", Duration.ofMinutes(1))).as("still the holder's").isTrue();
	}

	@Test
	void shouldKeepIdsApart() {
		String a = id();
		String b = id();
		assertThat(claim(a, "alice", Duration.ofMinutes(1))).isTrue();
		assertThat(claim(b, "bob", Duration.ofMinutes(1))).isTrue();
		assertThat(claim(a, "bob", Duration.ofMinutes(1))).isFalse();
		assertThat(claim(b, "alice", Duration.ofMinutes(1))).isFalse();
	}

	@Test
	void shouldFreeAnIdOnceItsClaimLapsed() {
		String id = id();
		assertThat(claim(id, "alice", Duration.ofMillis(200))).isTrue();
		// a refused claim changes nothing, so polling only waits for the lapse
		await().atMost(WAIT)
			.pollDelay(Duration.ofMillis(250))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> claim(id, "bob", Duration.ofMinutes(1)));
		assertThat(claim(id, "alice", Duration.ofMinutes(1))).isFalse();
	}

	/**
	 * A claim remembers when it began: renewals keep that start, and a claim made after a
	 * lapse starts anew (what was sent to the id before is its former holder's).
	 */
	@Test
	void shouldKeepAClaimsStartAcrossRenewalsAndStartAnewAfterALapse() throws InterruptedException {
		String id = id();
		Instant before = Instant.now().minusSeconds(1);
		Instant first = claims().hold(id, "alice", Duration.ofMillis(300)).block(WAIT);
		assertThat(first).isAfter(before);
		Thread.sleep(20);
		assertThat(claims().hold(id, "alice", Duration.ofMillis(300)).block(WAIT)).as("renewed").isEqualTo(first);
		assertThat(claims().hold(id, "mallory", Duration.ofMinutes(1)).blockOptional(WAIT)).as("another user")
			.isEmpty();
		await().atMost(WAIT)
			.pollDelay(Duration.ofMillis(350))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> claims().hold(id, "mallory", Duration.ofMinutes(1)).blockOptional(WAIT).isPresent());
		assertThat(claims().hold(id, "mallory", Duration.ofMinutes(1)).block(WAIT)).as("a new claim")
			.isAfter(first.plusMillis(300));
	}

	@Test
	void shouldExtendTheClaimOnEachUse() throws InterruptedException {
		String id = id();
		assertThat(claim(id, "alice", Duration.ofMillis(600))).isTrue();
		Thread.sleep(300);
		assertThat(claim(id, "alice", Duration.ofMinutes(1))).isTrue();
		Thread.sleep(500);
		// past the first claim's 600 ms: still alice's, the renewal extended it
		assertThat(claim(id, "mallory", Duration.ofMinutes(1))).isFalse();
	}

	/**
	 * The attack: one user connecting again and again, each time with a made-up id, to
	 * fill the store. Past its quota its new ids are refused (and not held: anyone may
	 * claim them), while the ids it holds stay renewable and other users are untouched.
	 */
	@Test
	void shouldRefuseAUsersNewIdsPastItsQuotaButNotItsRenewalsOrOtherUsers() {
		String flooder = "flooder-" + UUID.randomUUID();
		String first = id();
		assertThat(claim(first, flooder, Duration.ofMinutes(1))).isTrue();
		for (int i = 1; i < PER_USER; i++) {
			assertThat(claim(id(), flooder, Duration.ofMinutes(1))).as("new id %d", i + 1).isTrue();
		}
		String past = id();
		assertThat(claim(past, flooder, Duration.ofMinutes(1))).as("past the quota").isFalse();
		assertThat(claim(id(), flooder, Duration.ofMinutes(1))).as("still past the quota").isFalse();
		assertThat(claim(first, flooder, Duration.ofMinutes(1))).as("a held id is renewed").isTrue();
		assertThat(claim(id(), "carol-" + UUID.randomUUID(), Duration.ofMinutes(1))).as("another user").isTrue();
		assertThat(claim(past, "dave-" + UUID.randomUUID(), Duration.ofMinutes(1)))
			.as("a refused id was not kept for the flooder")
			.isTrue();
	}

	@Test
	void shouldGiveAUserItsQuotaAgainOnceItsWindowLapsed() {
		String user = "tabs-" + UUID.randomUUID();
		for (int i = 0; i < PER_USER; i++) {
			assertThat(claim(id(), user, Duration.ofMillis(300))).isTrue();
		}
		assertThat(claim(id(), user, Duration.ofMillis(300))).isFalse();
		await().atMost(WAIT)
			.pollDelay(Duration.ofMillis(350))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> claim(id(), user, Duration.ofMinutes(1)));
	}

}
