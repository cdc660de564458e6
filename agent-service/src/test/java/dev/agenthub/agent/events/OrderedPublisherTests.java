package dev.agenthub.agent.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The agent's publisher: order kept across event types and channels, output merged only
 * while a publish is in flight (never held back by a timer), the queue bounded, failures
 * reported without stopping the publisher. The engine is the memory engine; a gate in
 * front of it holds publishes to stand for a slow engine.
 */
class OrderedPublisherTests {

	private static final String CHANNEL = "workspace:w1";

	private final GatedBroker broker = new GatedBroker();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final List<Publication> published = new CopyOnWriteArrayList<>();

	OrderedPublisherTests() {
		this.broker.engine.subscribe(CHANNEL, this.published::add).block(Duration.ofSeconds(5));
		this.broker.engine.subscribe("task:t1", this.published::add).block(Duration.ofSeconds(5));
	}

	@Test
	void anIdlePublisherPublishesAChunkAtOnce() {
		OrderedPublisher publisher = publisher(16, 1024);

		assertThat(publisher.offer("tab:output", output("t1", "a\n"))).isTrue();

		assertThat(this.published).hasSize(1);
		assertThat(this.published.get(0).event().data()).isEqualTo(output("t1", "a\n"));
	}

	@Test
	void chunksArrivingDuringAPublishAreMergedAndOrderIsKept() {
		this.broker.hold = true;
		OrderedPublisher publisher = publisher(16, 1024);
		publisher.offer("tab:output", output("t1", "first\n")); // in flight
		publisher.offer("tab:output", output("t1", "a"));
		publisher.offer("tab:output", output("t1", "b"));
		publisher.offer("tab:output", output("t2", "other tab"));
		publisher.offer("tab:output", output("t2", " continues"));
		publisher.offer("git:status", HubJson.tree(Map.of("branch", "main")));
		publisher.offer("tab:output", output("t2", "after status"));
		JsonNode task = HubJson.tree(Map.of("taskId", "t1", "data", "x"));
		publisher.offerTo("task:t1", "task:output", task);
		publisher.offer("tab:output", output("t2", "after task"));
		assertThat(publisher.queued()).isEqualTo(6);

		this.broker.releaseAll();

		assertThat(this.published).extracting((p) -> p.event().type(), (p) -> p.event().data())
			.containsExactly(tuple("tab:output", output("t1", "first\n")), tuple("tab:output", output("t1", "ab")),
					tuple("tab:output", output("t2", "other tab continues")),
					tuple("git:status", HubJson.tree(Map.of("branch", "main"))),
					tuple("tab:output", output("t2", "after status")), tuple("task:output", task),
					tuple("tab:output", output("t2", "after task")));
		assertThat(this.published.stream().filter((p) -> p.event().channel().equals(CHANNEL)))
			.extracting(Publication::offset)
			.containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
	}

	@Test
	void streamsAndExtraFieldsAreNotMergedAndChunksStopAtTheByteBound() {
		this.broker.hold = true;
		OrderedPublisher publisher = publisher(16, 4);
		publisher.offer("tab:output", output("t1", "x")); // in flight
		publisher.offer("tab:output", output("t1", "ab"));
		publisher.offer("tab:output", output("t1", "cd"));
		publisher.offer("tab:output", output("t1", "ef"));
		JsonNode stderr = HubJson.tree(Map.of("tabId", "t1", "data", "E", "stream", "stderr"));
		publisher.offer("tab:output", stderr);
		JsonNode extra = HubJson.tree(Map.of("tabId", "t1", "data", "F", "seq", 7));
		publisher.offer("tab:output", extra);
		publisher.offer("tab:output", output("t1", "g"));

		this.broker.releaseAll();

		assertThat(this.published).extracting((p) -> p.event().data())
			.containsExactly(output("t1", "x"), output("t1", "abcd"), output("t1", "ef"), stderr, extra,
					output("t1", "g"));
	}

	@Test
	void theQueueIsBounded() {
		this.broker.hold = true;
		OrderedPublisher publisher = publisher(2, 1024);
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 1)))).isTrue(); // in
																							// flight
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 2)))).isTrue();
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 3)))).isTrue();
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 4)))).isFalse();

		this.broker.releaseAll();

		assertThat(this.published).extracting((p) -> p.event().data().get("n").asInt()).containsExactly(1, 2, 3);
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 5)))).isTrue();
	}

	@Test
	void aFailedOrThrowingPublishIsReportedAndTheNextOnesStillGo() {
		OrderedPublisher publisher = publisher(16, 1024);

		this.broker.failNext = true;
		publisher.offer("git:status", HubJson.tree(Map.of("n", 1)));
		this.broker.throwNext = true; // an engine that breaks its contract must not stall
										// it
		publisher.offer("git:status", HubJson.tree(Map.of("n", 2)));
		publisher.offer("git:status", HubJson.tree(Map.of("n", 3)));

		assertThat(this.failures).hasSize(2);
		assertThat(this.published).extracting((p) -> p.event().data().get("n").asInt()).containsExactly(3);
	}

	@Test
	void closeDrainsTheQueueThenCompletesAndRefusesMore() {
		this.broker.hold = true;
		OrderedPublisher publisher = publisher(16, 1024);
		publisher.offer("git:status", HubJson.tree(Map.of("n", 1)));
		publisher.offer("git:status", HubJson.tree(Map.of("n", 2)));
		publisher.close();
		assertThat(publisher.offer("git:status", HubJson.tree(Map.of("n", 3)))).isFalse();
		Mono<Void> closed = publisher.closed();

		this.broker.releaseAll();

		closed.block(Duration.ofSeconds(5));
		assertThat(this.published).extracting((p) -> p.event().data().get("n").asInt()).containsExactly(1, 2);
	}

	@Test
	void manyChunksFromManyThreadsArriveInOrderPerThreadWithNothingLost() throws Exception {
		OrderedPublisher publisher = publisher(100_000, 64);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			String tab = "t" + t;
			threads.add(Thread.ofPlatform().start(() -> {
				for (int i = 0; i < 2000; i++) {
					assertThat(publisher.offer("tab:output", output(tab, i + ","))).isTrue();
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
		publisher.close();
		publisher.closed().block(Duration.ofSeconds(10));

		for (int t = 0; t < 4; t++) {
			String tab = "t" + t;
			StringBuilder text = new StringBuilder();
			this.published.stream()
				.filter((p) -> p.event().data().get("tabId").asString().equals(tab))
				.forEach((p) -> text.append(p.event().data().get("data").asString()));
			StringBuilder expected = new StringBuilder();
			for (int i = 0; i < 2000; i++) {
				expected.append(i).append(',');
			}
			assertThat(text.toString()).isEqualTo(expected.toString());
		}
	}

	private OrderedPublisher publisher(int capacity, int maxBytes) {
		return new OrderedPublisher(this.broker, CHANNEL, capacity, maxBytes, this.failures::add);
	}

	private static JsonNode output(String tabId, String data) {
		return HubJson.tree(Map.of("tabId", tabId, "data", data));
	}

	/** The memory engine behind a gate that can hold publishes or fail the next one. */
	private static final class GatedBroker implements Broker {

		final InMemoryBroker engine = new InMemoryBroker(100, new InMemoryLogFeed(100_000));

		final List<MonoSink<Boolean>> held = new ArrayList<>();

		volatile boolean hold;

		volatile boolean failNext;

		volatile boolean throwNext;

		@Override
		public Mono<Publication> publish(String channel, String type, JsonNode data) {
			if (this.throwNext) {
				this.throwNext = false;
				throw new IllegalStateException("engine broke its contract");
			}
			if (this.failNext) {
				this.failNext = false;
				return Mono.error(new IllegalStateException("engine down"));
			}
			if (!this.hold) {
				return this.engine.publish(channel, type, data);
			}
			return Mono.<Boolean>create((sink) -> {
				synchronized (this.held) {
					this.held.add(sink);
				}
			}).then(Mono.defer(() -> this.engine.publish(channel, type, data)));
		}

		/** Lets every held publish (and any that follows) through. */
		void releaseAll() {
			this.hold = false;
			while (true) {
				MonoSink<Boolean> sink;
				synchronized (this.held) {
					if (this.held.isEmpty()) {
						return;
					}
					sink = this.held.remove(0);
				}
				sink.success(true);
			}
		}

		@Override
		public Mono<StreamPosition> position(String channel) {
			return this.engine.position(channel);
		}

		@Override
		public Mono<History> history(String channel, long since, int limit) {
			return this.engine.history(channel, since, limit);
		}

		@Override
		public Mono<History> existingHistory(String channel, long since, int limit) {
			return this.engine.existingHistory(channel, since, limit);
		}

		@Override
		public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
			return this.engine.subscribe(channel, listener);
		}

	}

}
