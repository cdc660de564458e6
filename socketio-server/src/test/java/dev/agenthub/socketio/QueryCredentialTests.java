package dev.agenthub.socketio;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A query's credential is checked once and then held only as what the check made of it.
 */
class QueryCredentialTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@Test
	void shouldCheckOnceAndAnswerLaterConnectsFromTheResult() {
		AtomicInteger checks = new AtomicInteger();
		QueryCredential credential = new QueryCredential("t0k3n");
		assertThat(credential.unchecked()).isTrue();
		for (int i = 0; i < 3; i++) {
			Integer value = credential.check(Integer.class, (raw) -> {
				checks.incrementAndGet();
				return Mono.just(raw.length());
			}).block(WAIT);
			assertThat(value).isEqualTo(5);
		}
		assertThat(checks).hasValue(1);
		assertThat(credential.unchecked()).as("the credential itself is no longer held").isFalse();
	}

	@Test
	void shouldRefuseEveryLaterConnectWithTheFirstChecksReason() {
		QueryCredential credential = new QueryCredential("forged");
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> credential
					.check(String.class, (raw) -> Mono.error(new IllegalStateException("bad signature")))
					.block(WAIT))
				.withMessageContaining("bad signature");
		}
		assertThat(credential.unchecked()).isFalse();
	}

	@Test
	void shouldRefuseACheckThatFindsNothingAndAValueOfAnotherKind() {
		QueryCredential empty = new QueryCredential("x");
		assertThatExceptionOfType(QueryCredential.Refused.class)
			.isThrownBy(() -> empty.check(String.class, (raw) -> Mono.empty()).block(WAIT));
		QueryCredential checked = new QueryCredential("x");
		assertThat(checked.check(String.class, Mono::just).block(WAIT)).isEqualTo("x");
		assertThatExceptionOfType(QueryCredential.Refused.class)
			.isThrownBy(() -> checked.check(Integer.class, (raw) -> Mono.just(1)).block(WAIT));
	}

	@Test
	void shouldKeepTheCredentialWhenTheCheckIsCancelled() {
		QueryCredential credential = new QueryCredential("t0k3n");
		credential.check(String.class, (raw) -> Mono.<String>never()).subscribe().dispose();
		assertThat(credential.unchecked()).isTrue();
		assertThat(credential.check(String.class, Mono::just).block(WAIT)).isEqualTo("t0k3n");
	}

}
