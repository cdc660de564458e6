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
import java.util.function.Consumer;

import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fan-out lanes keep each channel's events in engine order on one thread at a time, run
 * channels beside each other, and drop (never block on) an event whose lane is full.
 */
class FanoutLanesTests {

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
				listeners.add(lanes.listener(channel, (publication) -> {
					seen.get(channel).add(publication.offset());
					threads.get(channel).add(Thread.currentThread().getName());
				}));
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
			Consumer<Publication> listener = lanes.listener("workspace:slow", (publication) -> {
				started.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				seen.add(publication.offset());
			});
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

	private static Publication publication(String channel, long offset) {
		HubEvent event = new HubEvent("tab:output", channel, offset, "e1", HubJson.tree(Map.of("n", offset)),
				Instant.now());
		return new Publication(event, HubJson.encodeEvent(event));
	}

}
