package dev.agenthub.gateway.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fan-out lanes keep each channel's events in engine order on one thread at a time, run
 * channels beside each other, drop (never block on) an event whose lane is full, and hand
 * a small channel's events out on the engine's thread only when none wait in its lane.
 */
class FanoutLanesTests {

	/** More members than are handed events on the engine's thread. */
	private static final IntSupplier BIG = () -> FanoutLanes.INLINE_MEMBERS + 1;

	@Test
	void eachChannelKeepsItsOrderAndRunsOnOneLaneAtATime() throws Exception {
		Map<String, List<Long>> seen = new ConcurrentHashMap<>();
		Map<String, List<String>> threads = new ConcurrentHashMap<>();
		List<String> channels = List.of("workspace:a", "workspace:b", "workspace:c", "user:u1", "broadcast");
		try (FanoutLanes lanes = new FanoutLanes(2, 100_000)) {
			List<Consumer<Publication>> listeners = new ArrayList<>();
			for (String channel : channels) {
				seen.put(channel, new CopyOnWriteArrayList<>());
				threads.put(channel, new CopyOnWriteArrayList<>());
				listeners.add(lanes.listener(channel, channel(BIG, (publication) -> {
					seen.get(channel).add(publication.offset());
					threads.get(channel).add(Thread.currentThread().getName());
				})));
			}
			for (long offset = 1; offset <= 5_000; offset++) {
				for (int i = 0; i < channels.size(); i++) {
					listeners.get(i).accept(publication(channels.get(i), offset));
				}
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> seen.values().stream().allMatch((offsets) -> offsets.size() == 5_000));
		}
		for (String channel : channels) {
			assertThat(seen.get(channel)).isSorted().doesNotHaveDuplicates();
			assertThat(threads.get(channel)).allMatch((name) -> name.startsWith("hub-fanout-"));
			assertThat(threads.get(channel).stream().distinct()).hasSize(1);
		}
	}

	@Test
	void aFullLaneDropsInsteadOfBlockingTheEngine() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		List<Long> seen = new CopyOnWriteArrayList<>();
		try (FanoutLanes lanes = new FanoutLanes(1, 2)) {
			Consumer<Publication> listener = lanes.listener("workspace:slow", channel(BIG, (publication) -> {
				hold(started, release);
				seen.add(publication.offset());
			}));
			listener.accept(publication("workspace:slow", 1)); // running, blocked
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			for (long offset = 2; offset <= 10; offset++) {
				listener.accept(publication("workspace:slow", offset));
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
		}
		// the one running and the two that fit; the rest are left to gap filling
		assertThat(seen).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aSmallChannelIsHandedOutOnTheEngineThreadOnlyWhenNothingOfItIsInItsLane() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		List<Long> seen = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		AtomicInteger members = new AtomicInteger(FanoutLanes.INLINE_MEMBERS);
		try (FanoutLanes lanes = new FanoutLanes(1, 100)) {
			Consumer<Publication> listener = lanes.listener("workspace:w", channel(members::get, (publication) -> {
				if (publication.offset() == 2) {
					hold(started, release);
				}
				seen.add(publication.offset());
				threads.add(Thread.currentThread().getName());
			}));
			String engine = Thread.currentThread().getName();
			listener.accept(publication("workspace:w", 1)); // small: here, at once
			assertThat(seen).containsExactly(1L);
			members.set(FanoutLanes.INLINE_MEMBERS + 1);
			listener.accept(publication("workspace:w", 2)); // big: to the lane, held
															// there
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			members.set(1);
			// small again, but 2 is still in the lane: 3 and 4 queue behind it
			listener.accept(publication("workspace:w", 3));
			listener.accept(publication("workspace:w", 4));
			assertThat(seen).containsExactly(1L);
			release.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
			listener.accept(publication("workspace:w", 5)); // the lane is empty: here
															// again
			assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
			assertThat(threads.get(0)).isEqualTo(engine);
			assertThat(threads.subList(1, 4)).allMatch((name) -> name.startsWith("hub-fanout-"));
			assertThat(threads.get(4)).isEqualTo(engine);
		}
	}

	/** Tells that a handling started and holds it until released (10 s at most). */
	private static void hold(CountDownLatch started, CountDownLatch release) {
		started.countDown();
		try {
			release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A channel of {@code members} members whose fan-out is {@code fanout}. */
	private static FanoutLanes.Channel channel(IntSupplier members, Consumer<Publication> fanout) {
		AtomicInteger laned = new AtomicInteger();
		return new FanoutLanes.Channel() {

			@Override
			public void accept(Publication publication) {
				fanout.accept(publication);
			}

			@Override
			public int members() {
				return members.getAsInt();
			}

			@Override
			public int laned() {
				return laned.get();
			}

			@Override
			public void addLaned(int delta) {
				laned.addAndGet(delta);
			}

		};
	}

	private static Publication publication(String channel, long offset) {
		HubEvent event = new HubEvent("tab:output", channel, offset, "e1", HubJson.tree(Map.of("n", offset)),
				Instant.now());
		return new Publication(event, HubJson.encodeEvent(event));
	}

}
