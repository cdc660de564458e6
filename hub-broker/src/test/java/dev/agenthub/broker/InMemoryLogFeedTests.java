package dev.agenthub.broker;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;

import dev.agenthub.broker.LogFeed.LogEntry;
import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory engine's queue to the log writer is bounded in bytes as well as in entries,
 * and holds only what the bound counts: a consumer that stops (a dead database) cannot
 * make it hold more than its bytes of JSON.
 */
class InMemoryLogFeedTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void shouldDropTheOldestEntriesBeyondItsBytes() {
		InMemoryLogFeed feed = new InMemoryLogFeed(100_000, 10_000);
		InMemoryBroker broker = new InMemoryBroker(100, feed);
		for (int i = 0; i < 200; i++) {
			broker.publish("workspace:lf", "tab:output", HubJson.object().put("data", "x".repeat(400)).put("i", i))
				.block(WAIT);
		}
		assertThat(feed.queuedBytes()).isBetween(1L, 10_000L);
		assertThat(feed.dropped()).isGreaterThan(150);
		List<LogEntry> left = feed.consume("g", "c").take(Duration.ofMillis(500)).collectList().block(WAIT);
		assertThat(left).hasSizeBetween(1, 25);
		// the newest, in order, decoded as published
		assertThat(left.get(left.size() - 1).publication().event().data().path("i").asInt()).isEqualTo(199);
		assertThat(left.get(left.size() - 1).publication().offset()).isEqualTo(200);
		assertThat(left)
			.isSortedAccordingTo((a, b) -> Long.compare(a.publication().offset(), b.publication().offset()));
		assertThat(feed.queuedBytes()).isZero();
	}

	@Test
	void shouldAlwaysQueueTheNewestEntryEvenWhenItAloneIsOverTheBytes() {
		InMemoryLogFeed feed = new InMemoryLogFeed(100_000, 10);
		InMemoryBroker broker = new InMemoryBroker(100, feed);
		broker.publish("workspace:lf", "tab:output", HubJson.object().put("n", 1)).block(WAIT);
		broker.publish("workspace:lf", "tab:output", HubJson.object().put("n", 2)).block(WAIT);
		List<LogEntry> left = feed.consume("g", "c").take(Duration.ofMillis(300)).collectList().block(WAIT);
		assertThat(left).hasSize(1);
		assertThat(left.get(0).publication().event().data().path("n").asInt()).isEqualTo(2);
	}

	/**
	 * Before, a queued entry was the publication itself: its decoded tree (several times
	 * the JSON) and the wire forms its recipients attached to it waited with it.
	 */
	@Test
	void aQueuedEntryShouldHoldItsEventsJsonOnly() {
		InMemoryLogFeed feed = new InMemoryLogFeed(1000);
		InMemoryBroker broker = new InMemoryBroker(100, feed);
		WeakReference<JsonNode> tree = InMemoryBrokerTests.publishManySmallObjects(broker, "workspace:lf-tree");
		// the history keeps JSON only too (InMemoryBrokerTests): only the feed could
		// hold the tree
		assertThat(InMemoryBrokerTests.collected(tree)).isTrue();
		LogEntry entry = feed.consume("g", "c").blockFirst(WAIT);
		assertThat(entry.publication().event().data().path("items").size()).isEqualTo(1000);
		assertThat(entry.publication().event().channel()).isEqualTo("workspace:lf-tree");
	}

}
