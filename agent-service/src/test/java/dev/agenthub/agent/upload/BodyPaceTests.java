package dev.agenthub.agent.upload;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.agenthub.contracts.error.ContractViolation;
import dev.agenthub.contracts.error.ErrorCode;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BodyPace} in virtual time: only the time the consumer asks for bytes and the
 * client sends none counts.
 */
class BodyPaceTests {

	static final Duration IDLE = Duration.ofSeconds(1);

	static final long MIN_RATE = 8 * 1024;

	final TestPublisher<byte[]> client = TestPublisher.create();

	/** The body under the deadline, checked on the virtual-time scheduler. */
	Flux<byte[]> paced(long minRate) {
		Scheduler scheduler = Schedulers.parallel();
		return BodyPace.watch(this.client.flux(), (bytes) -> bytes.length, IDLE, minRate, scheduler,
				() -> scheduler.now(TimeUnit.NANOSECONDS));
	}

	@Test
	void shouldFailABodyThatSendsNothingWhileAsked() {
		StepVerifier.withVirtualTime(() -> paced(MIN_RATE), 0)
			.expectSubscription()
			.thenRequest(1)
			.expectNoEvent(IDLE.minusMillis(100))
			.thenAwait(Duration.ofMillis(100))
			.expectErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOfSatisfying(ContractViolation.class, (violation) -> {
						assertThat(violation.code()).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
						assertThat(violation.getMessage()).contains("no bytes of the body for 1s")
							.contains("hub.upload.body-idle");
					}))
			.verify(Duration.ofSeconds(5));
		// cancelled, nothing more asked of it than the consumer asked
		this.client.assertCancelled();
		this.client.assertMaxRequested(1);
	}

	@Test
	void shouldNotCountTheTimeTheConsumerAsksForNothing() {
		// the consumer (the upload, waiting for the agent's acknowledgements) asks for
		// nothing for ten idle periods between two pieces sent as soon as asked
		StepVerifier.withVirtualTime(() -> paced(MIN_RATE), 0)
			.expectSubscription()
			.thenRequest(1)
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[16 * 1024]))
			.expectNextCount(1)
			.expectNoEvent(IDLE.multipliedBy(10))
			.thenRequest(1)
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[16 * 1024]))
			.expectNextCount(1)
			.thenRequest(1)
			.then(this.client::complete)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		// counted, the pause would have failed both rules: idle for 10 s, and 32 KB in
		// 11.8 s is under 8 KB/s; 32 KB in the 1.8 s waited is not
	}

	@Test
	void shouldFailABodyTrickledUnderTheMinimumRate() {
		// a byte just before each idle period would end: never idle long enough
		StepVerifier.withVirtualTime(() -> paced(MIN_RATE), 0)
			.expectSubscription()
			.thenRequest(100)
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[1]))
			.expectNextCount(1)
			.thenAwait(Duration.ofMillis(100))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ContractViolation.class,
					(violation) -> assertThat(violation.getMessage()).contains("sent 1 bytes of the body in 1.0s")
						.contains("hub.upload.body-min-rate")))
			.verify(Duration.ofSeconds(5));
		this.client.assertCancelled();
	}

	/**
	 * A burst first, then a byte just before each idle period would end: on average over
	 * the whole wait the burst paid for the trickle (100 KB carried 12 s at 8 KB/s), and
	 * the body held its slot that long; each period of waiting is judged on its own bytes
	 * now.
	 */
	@Test
	void shouldFailATrickleAfterABurst() {
		StepVerifier.withVirtualTime(() -> paced(MIN_RATE), 0)
			.expectSubscription()
			.thenRequest(100)
			.thenAwait(Duration.ofMillis(100))
			.then(() -> this.client.next(new byte[100 * 1024]))
			.thenAwait(Duration.ofMillis(900))
			.then(() -> this.client.next(new byte[1]))
			.thenAwait(Duration.ofMillis(900))
			.then(() -> this.client.next(new byte[1]))
			.expectNextCount(3)
			.thenAwait(Duration.ofMillis(200))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ContractViolation.class,
					(violation) -> assertThat(violation.getMessage()).contains("sent 2 bytes of the body in 1.0s")
						.contains("hub.upload.body-min-rate")))
			.verify(Duration.ofSeconds(5));
		this.client.assertCancelled();
	}

	@Test
	void shouldLetATrickleThroughWithoutAMinimumRate() {
		StepVerifier.withVirtualTime(() -> paced(0), 0)
			.expectSubscription()
			.thenRequest(100)
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[1]))
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[1]))
			.thenAwait(IDLE.minusMillis(100))
			.then(() -> this.client.next(new byte[1]))
			.then(this.client::complete)
			.expectNextCount(3)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void shouldLetASlowButSteadyBodyThrough() {
		// 15 KB/s for 5 s, in pieces of 3 KB every 200 ms
		StepVerifier.Step<byte[]> steps = StepVerifier.withVirtualTime(() -> paced(MIN_RATE), 0)
			.expectSubscription()
			.thenRequest(Long.MAX_VALUE);
		for (int i = 0; i < 25; i++) {
			steps = steps.thenAwait(Duration.ofMillis(200))
				.then(() -> this.client.next(new byte[3 * 1024]))
				.expectNextCount(1);
		}
		steps.then(this.client::complete).expectComplete().verify(Duration.ofSeconds(5));
	}

	@Test
	void shouldCheckOftenEnough() {
		assertThat(BodyPace.tick(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
		assertThat(BodyPace.tick(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
		assertThat(BodyPace.tick(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(10));
		assertThat(BodyPace.format(Duration.ofSeconds(30))).isEqualTo("30s");
		assertThat(BodyPace.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

}
