package dev.agenthub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link CoalescingBroker} merges reads: the engine is the in-memory one, behind a
 * gate that holds its reads until the test lets them go (the contract suite runs the
 * decorator over Redis: {@code CoalescingRedisBrokerIntegrationTests}).
 */
class CoalescingBrokerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final GatedEngine engine = new GatedEngine(new InMemoryBroker(100, new InMemoryLogFeed(1000)));

	private final CoalescingBroker broker = new CoalescingBroker(this.engine);

	@Test
	void shouldServeAThousandIdenticalReadsWithTwoEngineReads() {
		String channel = "workspace:w1";
		publish(channel, 5);
		List<Mono<History>> reads = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			Mono<History> read = this.broker.history(channel, 2, 100).cache();
			read.subscribe();
			reads.add(read);
		}
		// the first started at once; the other 999 wait for one read after it
		assertThat(this.engine.started()).isEqualTo(1);
		this.engine.release();
		assertThat(this.engine.started()).isEqualTo(2);
		this.engine.release();
		for (Mono<History> read : reads) {
			History history = read.block(WAIT);
			assertThat(history.events()).extracting(Publication::offset).containsExactly(3L, 4L, 5L);
		}
		assertThat(this.engine.started()).isEqualTo(2);
		assertThat(this.broker.pendingKeys()).isZero();
	}

	@Test
	void shouldNeverServeARequestWithAReadThatBeganBeforeIt() {
		String channel = "workspace:w2";
		publish(channel, 1);
		Mono<History> early = this.broker.history(channel, 0, 100).cache();
		early.subscribe();
		// published after the first read began: the first read may not have it, a read
		// asked for now must
		publish(channel, 1);
		Mono<History> late = this.broker.history(channel, 0, 100).cache();
		late.subscribe();
		this.engine.release();
		assertThat(early.block(WAIT).events()).hasSize(1);
		this.engine.release();
		assertThat(late.block(WAIT).events()).extracting(Publication::offset).containsExactly(1L, 2L);
	}

	@Test
	void shouldNotMergeReadsOfOtherOffsetsOrChannels() {
		publish("workspace:a", 3);
		publish("workspace:b", 3);
		Mono<History> a1 = this.broker.history("workspace:a", 1, 100).cache();
		Mono<History> a2 = this.broker.history("workspace:a", 2, 100).cache();
		Mono<History> b1 = this.broker.history("workspace:b", 1, 100).cache();
		Mono<StreamPosition> position = this.broker.position("workspace:a").cache();
		Flux.merge(a1, a2, b1, position).subscribe();
		assertThat(this.engine.started()).isEqualTo(4);
		this.engine.release();
		assertThat(a1.block(WAIT).events()).hasSize(2);
		assertThat(a2.block(WAIT).events()).hasSize(1);
		assertThat(b1.block(WAIT).events()).hasSize(2);
		assertThat(position.block(WAIT).offset()).isEqualTo(3);
	}

	@Test
	void shouldFailEveryRequestOfAFailedReadAndReadAgainForTheNext() {
		String channel = "workspace:w3";
		publish(channel, 2);
		Mono<History> first = this.broker.history(channel, 0, 100).cache();
		first.subscribe(null, (ex) -> {
		});
		Mono<History> waiting = this.broker.history(channel, 0, 100).cache();
		waiting.subscribe(null, (ex) -> {
		});
		this.engine.fail(new IllegalStateException("engine down"));
		assertThatThrownBy(() -> first.block(WAIT)).hasMessageContaining("engine down");
		// the waiting request got a read of its own, begun after the failure
		this.engine.release();
		assertThat(waiting.block(WAIT).events()).hasSize(2);
		assertThat(this.broker.pendingKeys()).isZero();
	}

	@Test
	void shouldServeTheOthersWhenOneRequestIsCancelled() {
		String channel = "workspace:w4";
		publish(channel, 1);
		Mono<History> first = this.broker.history(channel, 0, 100).cache();
		first.subscribe();
		Disposable cancelled = this.broker.history(channel, 0, 100).subscribe();
		Mono<History> kept = this.broker.history(channel, 0, 100).cache();
		kept.subscribe();
		cancelled.dispose();
		this.engine.release();
		this.engine.release();
		assertThat(kept.block(WAIT).events()).hasSize(1);
		assertThat(this.broker.pendingKeys()).isZero();
	}

	private void publish(String channel, int count) {
		for (int i = 0; i < count; i++) {
			this.broker.publish(channel, "note", BrokerContractTests.data(i)).block(WAIT);
		}
	}

	/**
	 * The in-memory engine, whose reads wait until {@link #release()}: each read takes
	 * its snapshot when it starts (as a Redis script does) and answers when released.
	 */
	private static final class GatedEngine implements Broker {

		private final Broker engine;

		private final AtomicInteger started = new AtomicInteger();

		private final List<Sinks.One<Boolean>> gates = new ArrayList<>();

		GatedEngine(Broker engine) {
			this.engine = engine;
		}

		int started() {
			return this.started.get();
		}

		/**
		 * Lets the reads started so far answer (with what they saw when they started).
		 */
		synchronized void release() {
			List<Sinks.One<Boolean>> open = new ArrayList<>(this.gates);
			this.gates.clear();
			open.forEach((gate) -> gate.tryEmitValue(true));
		}

		synchronized void fail(RuntimeException error) {
			List<Sinks.One<Boolean>> open = new ArrayList<>(this.gates);
			this.gates.clear();
			open.forEach((gate) -> gate.tryEmitError(error));
		}

		@Override
		public Mono<Publication> publish(String channel, String type, JsonNode data) {
			return this.engine.publish(channel, type, data);
		}

		@Override
		public Mono<StreamPosition> position(String channel) {
			return held(this.engine.position(channel));
		}

		@Override
		public Mono<History> history(String channel, long since, int limit) {
			return held(this.engine.history(channel, since, limit));
		}

		@Override
		public Mono<History> existingHistory(String channel, long since, int limit) {
			return this.engine.existingHistory(channel, since, limit);
		}

		@Override
		public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
			return this.engine.subscribe(channel, listener);
		}

		private <T> Mono<T> held(Mono<T> read) {
			return Mono.defer(() -> {
				this.started.incrementAndGet();
				T snapshot = read.block(WAIT);
				Sinks.One<Boolean> gate = Sinks.one();
				synchronized (this) {
					this.gates.add(gate);
				}
				return gate.asMono().thenReturn(snapshot);
			});
		}

	}

}
