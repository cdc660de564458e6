package dev.agenthub.support.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class OpeningLimitTests {

	static final long FAST = Duration.ofMillis(20).toNanos();

	static final long SLOW = Duration.ofSeconds(3).toNanos();

	@Test
	void shouldStartModeratelyAndGrowByOneForEachOpenDoneWithinTheTarget() {
		OpeningLimit limit = new OpeningLimit(2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL);
		for (int i = 0; i < 100; i++) {
			limit.completed(FAST, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL + 100);
		for (int i = 0; i < 5_000; i++) {
			limit.completed(FAST, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(2_000);
	}

	@Test
	void shouldHalveOnASlowOpenAtMostOncePerTargetIntervalDownToTheFloor() throws InterruptedException {
		OpeningLimit limit = new OpeningLimit(2_000, Duration.ofMillis(50));
		limit.completed(SLOW, 2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL / 2);
		// the other opens of the same congested moment do not halve it again
		for (int i = 0; i < 100; i++) {
			limit.completed(SLOW, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.INITIAL / 2);
		for (int i = 0; i < 10; i++) {
			Thread.sleep(60);
			limit.completed(SLOW, 2_000);
		}
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.FLOOR);
		limit.completed(FAST, 2_000);
		assertThat(limit.current(2_000)).isEqualTo(OpeningLimit.FLOOR + 1);
	}

	@Test
	void shouldNeverExceedTheConfiguredMaximum() {
		OpeningLimit limit = new OpeningLimit(3);
		assertThat(limit.current(3)).isEqualTo(3);
		limit.completed(FAST, 3);
		assertThat(limit.current(3)).isEqualTo(3);
		// a maximum under the floor is the floor
		limit.completed(SLOW, 3);
		assertThat(limit.current(3)).isEqualTo(3);
		// a maximum lowered at run time applies at once
		assertThat(new OpeningLimit(2_000).current(10)).isEqualTo(10);
	}

	@Test
	void shouldStopCountingAnOpenWhenItReleasesItsPlaceBeforeItEnds() {
		OpeningLimit limit = new OpeningLimit(2);
		Sinks.Empty<Void> client = Sinks.empty();
		Runnable[] release = new Runnable[1];
		Disposable open = limit.bracket((given) -> {
			release[0] = given;
			return client.asMono();
		}, () -> 2).subscribe();
		assertThat(limit.inFlight()).isEqualTo(1);
		assertThat(limit.admits(2)).isTrue();
		// the rest of the open waits for the client: its place is free again
		release[0].run();
		assertThat(limit.inFlight()).isZero();
		release[0].run();
		client.tryEmitEmpty();
		assertThat(limit.inFlight()).as("released once, not again at the end").isZero();
		open.dispose();
		Disposable held = limit.bracket(Mono.never(), () -> 2).subscribe();
		Disposable second = limit.bracket(Mono.never(), () -> 2).subscribe();
		assertThat(limit.admits(2)).as("two opens that never release fill it").isFalse();
		held.dispose();
		second.dispose();
		assertThat(limit.inFlight()).isZero();
	}

}
