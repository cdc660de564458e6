package dev.agenthub.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's channels catch up a few at a time, each once however often asked, and a failed
 * catch-up is tried again.
 */
class CatchUpsTests {

	@Test
	void atMostAFewRunAtOnceAndTheRestFollowAsTheyEnd() {
		List<Sinks.Empty<Void>> running = new CopyOnWriteArrayList<>();
		CatchUps catchUps = new CatchUps();
		for (int i = 0; i < 1_000; i++) {
			catchUps.request("c" + i, Mono.defer(() -> {
				Sinks.Empty<Void> done = Sinks.empty();
				running.add(done);
				return done.asMono();
			}));
		}
		assertThat(running).hasSize(CatchUps.IN_FLIGHT);

		for (int ended = 0; ended < 1_000; ended++) {
			running.get(ended).tryEmitEmpty();
			assertThat(running).hasSize(Math.min(1_000, CatchUps.IN_FLIGHT + ended + 1));
		}
	}

	@Test
	void aChannelAskedForAgainWhileItWaitsCatchesUpOnce() {
		Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
		Sinks.Empty<Void> blocker = Sinks.empty();
		CatchUps catchUps = new CatchUps();
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < CatchUps.IN_FLIGHT + 10; i++) {
				String channel = "c" + i;
				catchUps.request(channel, Mono.defer(() -> {
					started.computeIfAbsent(channel, (name) -> new AtomicInteger()).incrementAndGet();
					return blocker.asMono();
				}));
			}
		}
		blocker.tryEmitEmpty();

		// the first ones ran once, were asked for again while running, and ran again once
		assertThat(started).hasSize(CatchUps.IN_FLIGHT + 10);
		assertThat(started.get("c0")).hasValue(2);
		assertThat(started.get("c" + (CatchUps.IN_FLIGHT + 9))).hasValue(1);
	}

	@Test
	void catchUpsThatEndAtOnceDoNotDeepenTheStack() {
		AtomicInteger done = new AtomicInteger();
		CatchUps catchUps = new CatchUps();
		for (int i = 0; i < 200_000; i++) {
			catchUps.request("c" + i, Mono.fromRunnable(done::incrementAndGet));
		}
		assertThat(done).hasValue(200_000);
	}

	@Test
	void aCatchUpThatCouldNotReadIsTriedAgain() {
		AtomicInteger attempts = new AtomicInteger();
		CatchUps catchUps = new CatchUps();
		catchUps.request("c", Mono.defer(() -> (attempts.incrementAndGet() < 3)
				? Mono.error(new IllegalStateException("refused")) : Mono.empty()));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(attempts).hasValue(3));
	}

}
