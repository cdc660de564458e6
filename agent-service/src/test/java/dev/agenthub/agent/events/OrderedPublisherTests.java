package dev.agenthub.agent.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.EngineUnavailableException;
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
import static org.awaitility.Awaitility.await;

/**
 * The agent's publisher: order kept across event types and channels, output merged only
 * while a publish is in flight (never held back by a timer), the queue bounded, failures
 * reported without stopping the publisher. The engine is the memory engine; a gate in
 * front of it holds publishes to stand for a slow engine.
 */
class OrderedPublisherTests {

	private static final String CHANNEL = "workspace:w1";

	private static final Duration WAIT = Duration.ofSeconds(10);

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
		return publisher(capacity, maxBytes, Duration.ofSeconds(30), new PendingBytes(1 << 24));
	}

	private OrderedPublisher publisher(int capacity, int maxBytes, Duration outage, PendingBytes budget) {
		return new OrderedPublisher(this.broker, CHANNEL, capacity, maxBytes, outage, budget, this.failures::add);
	}

	/**
	 * Before, an event offered while the engine was down (Redis restarting) was reported
	 * as failed and lost: the agent's terminal output of those seconds never reached its
	 * watchers.
	 */
	@Test
	void eventsWaitForAnUnavailableEngineAndArePublishedInOrderWhenItIsBack() {
		PendingBytes budget = new PendingBytes(1 << 20);
		OrderedPublisher publisher = publisher(16, 1024, Duration.ofSeconds(30), budget);
		this.broker.down = true;
		publisher.offer("tab:output", output("t1", "a"));
		publisher.offer("tab:output", output("t1", "b"));
		publisher.offer("git:status", HubJson.tree(Map.of("branch", "main")));
		publisher.offer("tab:output", output("t1", "c"));
		await().atMost(WAIT).until(() -> this.broker.refused.get() >= 3);
		assertThat(this.published).isEmpty();
		assertThat(budget.held()).isPositive();

		this.broker.down = false;

		await().atMost(WAIT).until(() -> this.published.size() == 3);
		assertThat(this.published).extracting((p) -> p.event().type(), (p) -> p.event().data())
			.containsExactly(tuple("tab:output", output("t1", "ab")),
					tuple("git:status", HubJson.tree(Map.of("branch", "main"))),
					tuple("tab:output", output("t1", "c")));
		assertThat(this.failures).isEmpty();
		assertThat(budget.held()).isZero();
	}

	@Test
	void anOutageLongerThanTheWaitReportsEachEventAndThePublisherGoesOn() {
		PendingBytes budget = new PendingBytes(1 << 20);
		OrderedPublisher publisher = publisher(16, 1024, Duration.ofMillis(300), budget);
		this.broker.down = true;
		publisher.offer("tab:output", output("t1", "lost-1"));
		publisher.offer("git:status", HubJson.tree(Map.of("branch", "lost-2")));
		await().atMost(WAIT).until(() -> this.failures.size() == 2);
		assertThat(this.failures).allMatch(EngineUnavailableException.class::isInstance);
		assertThat(budget.held()).isZero();

		this.broker.down = false;
		publisher.offer("tab:output", output("t1", "after"));
		await().atMost(WAIT).until(() -> this.published.size() == 1);
		assertThat(this.published.get(0).event().data()).isEqualTo(output("t1", "after"));
	}

	/**
	 * What agents' events may hold while they wait is bounded on the node, and one agent
	 * may take a sixteenth of it: past that its events are refused (the agent is told),
	 * other agents' are not.
	 */
	@Test
	void waitingEventsHoldAtMostTheirShareOfTheNodesBytes() {
		PendingBytes budget = new PendingBytes(16 * 1000);
		OrderedPublisher first = publisher(1000, 100, Duration.ofSeconds(30), budget);
		OrderedPublisher second = publisher(1000, 100, Duration.ofSeconds(30), budget);
		this.broker.down = true;
		int taken = 0;
		while (first.offer("tab:output", output("t" + taken, "x".repeat(90)))) {
			taken++;
		}
		assertThat(taken).isBetween(9, 11);
		assertThat(budget.held()).isLessThanOrEqualTo(budget.perPublisher());
		assertThat(second.offer("tab:output", output("t1", "other agent"))).isTrue();

		first.dispose();
		second.dispose();
		assertThat(budget.held()).isZero();
	}

	@Test
	void sizeEstimatesTheJsonOfAnEvent() {
		JsonNode data = HubJson.tree(Map.of("taskId", "t1", "output", "x".repeat(100), "isError", false));
		long estimate = Pending.size(data);
		assertThat(estimate).isBetween(100L + 20, HubJson.write(data).length() + 40L);
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

		/** The engine takes no command (not connected). */
		volatile boolean down;

		final AtomicInteger refused = new AtomicInteger();

		@Override
		public Mono<Publication> publish(String channel, String type, JsonNode data) {
			if (this.down) {
				this.refused.incrementAndGet();
				return Mono.error(new EngineUnavailableException("not connected", null));
			}
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
