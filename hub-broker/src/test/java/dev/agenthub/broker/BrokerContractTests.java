package dev.agenthub.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link Broker} and {@link LogFeed} engine must have. Each engine's
 * test extends this class.
 */
abstract class BrokerContractTests {

	static final int HISTORY_SIZE = 50;

	/** Bytes of history per channel every engine under test is given. */
	static final long HISTORY_BYTES = 64 * 1024;

	static final Duration WAIT = Duration.ofSeconds(10);

	/** The engine under test, with a history of about {@link #HISTORY_SIZE} events. */
	abstract Broker broker();

	/** The engine's log feed. */
	abstract LogFeed logFeed();

	/** Makes the engine lose a channel's state, as a flushed Redis would. */
	abstract void loseHistory(String channel);

	/** Channels this node currently holds an engine subscription for. */
	abstract int subscribedChannels();

	/** Whether the engine holds any state (keys, memory) for a channel. */
	abstract boolean holdsState(String channel);

	String channel() {
		return "workspace:c-" + UUID.randomUUID().toString().substring(0, 8);
	}

	static JsonNode data(int i) {
		return HubJson.parse("{\"tabId\":\"t\",\"data\":\"line " + i + "\"}");
	}

	@Test
	void shouldAssignGaplessOffsetsUnderConcurrentPublishers() {
		String channel = channel();
		List<Long> offsets = Flux.range(0, 200)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> broker().publish(channel, "tab:output", data(i)))
			.sequential()
			.map(Publication::offset)
			.collectList()
			.block(WAIT);
		assertThat(new HashSet<>(offsets)).hasSize(200);
		assertThat(offsets).allMatch((offset) -> offset >= 1 && offset <= 200);
		assertThat(broker().position(channel).block(WAIT).offset()).isEqualTo(200);
	}

	@Test
	void shouldDeliverInPublishOrderUnderConcurrentPublishers() {
		String channel = channel();
		List<Long> seen = new CopyOnWriteArrayList<>();
		Disposable registration = broker().subscribe(channel, (p) -> seen.add(p.offset())).block(WAIT);
		Flux.range(0, 300)
			.parallel(6)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> broker().publish(channel, "tab:output", data(i)))
			.sequential()
			.blockLast(WAIT);
		await().atMost(WAIT).until(() -> seen.size() == 300);
		List<Long> expected = new ArrayList<>();
		for (long i = 1; i <= 300; i++) {
			expected.add(i);
		}
		assertThat(seen).containsExactlyElementsOf(expected);
		registration.dispose();
	}

	@Test
	void shouldEncodeEachEventOnceInTheWireShape() {
		String channel = channel();
		List<Publication> seen = new CopyOnWriteArrayList<>();
		Disposable registration = broker().subscribe(channel, seen::add).block(WAIT);
		Publication published = broker().publish(channel, "tab:output", data(1)).block(WAIT);
		assertThat(published.json()).isEqualTo(HubJson.encodeEvent(published.event()));
		assertThat(published.event().channel()).isEqualTo(channel);
		assertThat(published.event().type()).isEqualTo("tab:output");
		await().atMost(WAIT).until(() -> seen.size() == 1);
		assertThat(seen.get(0).json()).isEqualTo(published.json());
		assertThat(seen.get(0).event()).isEqualTo(published.event());
		registration.dispose();
	}

	@Test
	void shouldReturnHistorySinceAnOffset() {
		String channel = channel();
		for (int i = 1; i <= 10; i++) {
			broker().publish(channel, "tab:output", data(i)).block(WAIT);
		}
		History history = broker().history(channel, 4, 100).block(WAIT);
		assertThat(history.events()).extracting(Publication::offset).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
		assertThat(history.coversFrom(4)).isTrue();
		assertThat(history.position().offset()).isEqualTo(10);
		assertThat(history.events().get(0).event().data().get("data").asString()).isEqualTo("line 5");
		History limited = broker().history(channel, 0, 3).block(WAIT);
		assertThat(limited.events()).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
		assertThat(limited.lastOffset()).isEqualTo(3);
		History none = broker().history(channel, 10, 100).block(WAIT);
		assertThat(none.events()).isEmpty();
		assertThat(none.coversFrom(10)).isTrue();
	}

	@Test
	void shouldSayWhenTheHistoryWindowNoLongerCoversAnOffset() {
		String channel = channel();
		Flux.range(1, HISTORY_SIZE * 8)
			.concatMap((i) -> broker().publish(channel, "tab:output", data(i)))
			.blockLast(WAIT);
		History history = broker().history(channel, 0, HISTORY_SIZE * 8).block(WAIT);
		assertThat(history.coversFrom(0)).isFalse();
		assertThat(history.events()).isNotEmpty();
		assertThat(history.lastOffset()).isEqualTo(HISTORY_SIZE * 8);
		long first = history.events().get(0).offset();
		for (int i = 0; i < history.events().size(); i++) {
			assertThat(history.events().get(i).offset()).isEqualTo(first + i);
		}
	}

	@Test
	void shouldKeepAStableEpochForAChannelWithoutEvents() {
		String channel = channel();
		StreamPosition first = broker().position(channel).block(WAIT);
		StreamPosition second = broker().position(channel).block(WAIT);
		assertThat(first.offset()).isZero();
		assertThat(second).isEqualTo(first);
		Publication published = broker().publish(channel, "tab:output", data(1)).block(WAIT);
		assertThat(published.event().epoch()).isEqualTo(first.epoch());
		assertThat(published.offset()).isEqualTo(1);
	}

	@Test
	void shouldAnswerEachOfManyPositionsAskedAtOnce() {
		// a crowd of connects asks for many channels' positions at once (an engine may
		// read them in batches): each gets its own channel's, new, ephemeral or with
		// events
		List<String> channels = new ArrayList<>();
		Map<String, Publication> last = new HashMap<>();
		for (int i = 0; i < 150; i++) {
			String channel = (i % 3 == 0) ? "client:" + UUID.randomUUID() : channel();
			channels.add(channel);
			if (i % 3 == 1) {
				for (int k = 0; k <= i % 5; k++) {
					last.put(channel, broker().publish(channel, "tab:output", data(k)).block(WAIT));
				}
			}
		}
		Map<String, StreamPosition> positions = Flux.fromIterable(channels)
			.flatMap((channel) -> broker().position(channel).map((p) -> Map.entry(channel, p)), channels.size())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block(WAIT);
		assertThat(positions).hasSize(channels.size());
		for (String channel : channels) {
			StreamPosition position = positions.get(channel);
			Publication published = last.get(channel);
			if (published != null) {
				assertThat(position).as(channel)
					.isEqualTo(new StreamPosition(published.event().epoch(), published.offset()));
			}
			else {
				assertThat(position.offset()).as(channel).isZero();
				// asked again, the same position: a new channel's epoch was kept
				assertThat(broker().position(channel).block(WAIT)).as(channel).isEqualTo(position);
			}
		}
		assertThat(channels.stream()
			.filter((c) -> !last.containsKey(c) && c.startsWith("workspace:"))
			.map(positions::get)
			.map(StreamPosition::epoch)
			.distinct()
			.count()).as("new channels get epochs of their own").isGreaterThan(1);
	}

	@Test
	void shouldChangeEpochWhenHistoryIsLost() {
		String channel = channel();
		broker().publish(channel, "tab:output", data(1)).block(WAIT);
		Publication before = broker().publish(channel, "tab:output", data(2)).block(WAIT);
		loseHistory(channel);
		Publication after = broker().publish(channel, "tab:output", data(3)).block(WAIT);
		assertThat(after.event().epoch()).isNotEqualTo(before.event().epoch());
		assertThat(after.offset()).isEqualTo(1);
		History history = broker().history(channel, 0, 10).block(WAIT);
		assertThat(history.position().epoch()).isEqualTo(after.event().epoch());
		assertThat(history.events()).extracting(Publication::offset).containsExactly(1L);
	}

	@Test
	void shouldStopDeliveringAndFreeResourcesOnUnsubscribe() {
		String channel = channel();
		int before = subscribedChannels();
		List<Long> first = new CopyOnWriteArrayList<>();
		List<Long> second = new CopyOnWriteArrayList<>();
		Disposable a = broker().subscribe(channel, (p) -> first.add(p.offset())).block(WAIT);
		Disposable b = broker().subscribe(channel, (p) -> second.add(p.offset())).block(WAIT);
		assertThat(subscribedChannels()).isEqualTo(before + 1);
		broker().publish(channel, "tab:output", data(1)).block(WAIT);
		await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
		a.dispose();
		broker().publish(channel, "tab:output", data(2)).block(WAIT);
		await().atMost(WAIT).until(() -> second.size() == 2);
		assertThat(first).containsExactly(1L);
		b.dispose();
		await().atMost(WAIT).until(() -> subscribedChannels() == before);
	}

	@Test
	void shouldFeedEveryPublicationToTheDurableLog() {
		String channel = channel();
		Set<Long> published = new HashSet<>();
		for (int i = 1; i <= 20; i++) {
			published.add(broker().publish(channel, "tab:output", data(i)).block(WAIT).offset());
		}
		String group = "g-" + UUID.randomUUID();
		Set<Long> logged = new HashSet<>();
		logFeed().consume(group, "c1")
			.filter((entry) -> entry.publication().event().channel().equals(channel))
			.concatMap((entry) -> logFeed().ack(group, List.of(entry)).thenReturn(entry))
			.take(20)
			.map((entry) -> entry.publication().offset())
			.doOnNext(logged::add)
			.blockLast(WAIT);
		assertThat(logged).isEqualTo(published);
	}

	@Test
	void shouldDeliverUnacknowledgedLogEntriesAgainToTheNextConsumption() {
		String group = "g-" + UUID.randomUUID();
		String channel = channel();
		// Join the group before publishing, so that only this test's entries are new to
		// it.
		logFeed().consume(group, "c1").take(Duration.ofMillis(200)).blockLast(WAIT);
		for (int i = 1; i <= 5; i++) {
			broker().publish(channel, "tab:output", data(i)).block(WAIT);
		}
		List<Long> first = logFeed().consume(group, "c1")
			.filter((entry) -> entry.publication().event().channel().equals(channel))
			.take(5)
			.map((entry) -> entry.publication().offset())
			.collectList()
			.block(WAIT);
		assertThat(first).containsExactly(1L, 2L, 3L, 4L, 5L);
		List<LogFeed.LogEntry> again = logFeed().consume(group, "c1")
			.filter((entry) -> entry.publication().event().channel().equals(channel))
			.take(5)
			.collectList()
			.block(WAIT);
		assertThat(again).extracting((entry) -> entry.publication().offset()).containsExactly(1L, 2L, 3L, 4L, 5L);
		logFeed().ack(group, again).block(WAIT);
		assertThat(logFeed().consume(group, "c1")
			.filter((entry) -> entry.publication().event().channel().equals(channel))
			.take(Duration.ofMillis(1500))
			.collectList()
			.block(WAIT)).isEmpty();
	}

	@Test
	void shouldReadAnExistingChannelsHistoryWithoutCreatingOne() {
		String channel = channel();
		// a made-up name: nothing to read, and nothing left behind by asking
		assertThat(broker().existingHistory(channel, 0, 10).blockOptional(WAIT)).isEmpty();
		assertThat(holdsState(channel)).isFalse();
		StreamPosition created = broker().position(channel).block(WAIT);
		History empty = broker().existingHistory(channel, 0, 10).block(WAIT);
		assertThat(empty.position()).isEqualTo(created);
		assertThat(empty.events()).isEmpty();
		broker().publish(channel, "chat_message", data(1)).block(WAIT);
		broker().publish(channel, "chat_message", data(2)).block(WAIT);
		History read = broker().existingHistory(channel, 1, 10).block(WAIT);
		assertThat(read.position()).isEqualTo(new StreamPosition(created.epoch(), 2));
		assertThat(read.events()).extracting(Publication::offset).containsExactly(2L);
		assertThat(read).isEqualTo(broker().history(channel, 1, 10).block(WAIT));
	}

	@Test
	void shouldKeepNoStateForAnEphemeralChannelUntilAPublish() {
		String channel = "client:" + UUID.randomUUID();
		StreamPosition first = broker().position(channel).block(WAIT);
		History history = broker().history(channel, 0, 10).block(WAIT);
		Disposable registration = broker().subscribe(channel, (p) -> {
		}).block(WAIT);
		assertThat(first.offset()).isZero();
		assertThat(history.position()).isEqualTo(first);
		assertThat(history.coversFrom(0)).isTrue();
		assertThat(broker().position(channel).block(WAIT)).isEqualTo(first);
		assertThat(holdsState(channel)).isFalse();
		Publication published = broker().publish(channel, "sync:reply", data(1)).block(WAIT);
		assertThat(published.offset()).isEqualTo(1);
		assertThat(holdsState(channel)).isTrue();
		assertThat(broker().position(channel).block(WAIT)).isEqualTo(new StreamPosition(published.event().epoch(), 1));
		registration.dispose();
	}

	@Test
	void shouldBoundAChannelsHistoryInBytes() {
		String channel = channel();
		String tenKib = "x".repeat(10 * 1024);
		for (int i = 1; i <= 20; i++) {
			broker().publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + tenKib + "\"}"))
				.block(WAIT);
		}
		History history = broker().history(channel, 0, 100).block(WAIT);
		long bytes = history.events().stream().mapToLong((p) -> p.json().length()).sum();
		assertThat(bytes).isLessThanOrEqualTo(HISTORY_BYTES);
		assertThat(history.events()).hasSizeBetween(5, 6);
		assertThat(history.lastOffset()).isEqualTo(20);
		assertThat(history.coversFrom(0)).isFalse();
		long first = history.events().get(0).offset();
		for (int i = 0; i < history.events().size(); i++) {
			assertThat(history.events().get(i).offset()).isEqualTo(first + i);
		}
	}

	@Test
	void shouldAlwaysKeepTheNewestEventEvenWhenItAloneExceedsTheBound() {
		String channel = channel();
		String big = "y".repeat((int) HISTORY_BYTES + 1);
		broker().publish(channel, "tab:output", data(1)).block(WAIT);
		broker().publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + big + "\"}"))
			.block(WAIT);
		History history = broker().history(channel, 0, 100).block(WAIT);
		assertThat(history.events()).extracting(Publication::offset).containsExactly(2L);
	}

}
