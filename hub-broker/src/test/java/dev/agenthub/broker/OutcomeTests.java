package dev.agenthub.broker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	@Test
	void shouldRunTheWorkOnceAtOnceAndReplayItsValueToEveryone() {
		AtomicInteger runs = new AtomicInteger();
		Sinks.One<String> result = Sinks.one();
		Mono<String> outcome = Outcome.of(Mono.defer(() -> {
			runs.incrementAndGet();
			return result.asMono();
		}));
		assertThat(runs).hasValue(1);
		result.tryEmitValue("done");
		assertThat(outcome.block(WAIT)).isEqualTo("done");
		assertThat(outcome.block(WAIT)).isEqualTo("done");
		assertThat(runs).hasValue(1);
	}

	@Test
	void shouldReplayEmptinessAndErrors() {
		assertThat(Outcome.of(Mono.<Void>empty()).blockOptional(WAIT)).isEmpty();
		Mono<Void> failed = Outcome.of(Mono.error(new IllegalStateException("refused")));
		assertThatThrownBy(() -> failed.block(WAIT)).hasMessageContaining("refused");
		assertThatThrownBy(() -> failed.block(WAIT)).hasMessageContaining("refused");
	}

}
