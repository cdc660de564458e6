package dev.agenthub.broker;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.contracts.codec.HubJson;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryBrokerTests extends BrokerContractTests {

	private final InMemoryLogFeed logFeed = new InMemoryLogFeed(100_000);

	private final MutableClock clock = new MutableClock();

	private final InMemoryBroker broker = new InMemoryBroker(new InMemoryBroker.Limits(HISTORY_SIZE, HISTORY_BYTES,
			Duration.ofHours(1), List.of("client:"), Duration.ofMinutes(10)), this.logFeed, this.clock);

	private int subscribed;

	@Override
	Broker broker() {
		return this.broker;
	}

	@Override
	LogFeed logFeed() {
		return this.logFeed;
	}

	@Override
	void loseHistory(String channel) {
		this.broker.loseHistory(channel);
	}

	@Override
	int subscribedChannels() {
		return this.broker.activeChannels();
	}

	@Override
	boolean holdsState(String channel) {
		return this.broker.holdsEpoch(channel);
	}

	@Test
	void shouldForgetIdleChannelsWithoutListeners() {
		String idle = channel();
		String listened = channel();
		String idleEpoch = this.broker.publish(idle, "tab:output", data(1)).block(WAIT).event().epoch();
		Disposable registration = this.broker.subscribe(listened, (p) -> {
		}).block(WAIT);
		String listenedEpoch = this.broker.publish(listened, "tab:output", data(1)).block(WAIT).event().epoch();
		int known = this.broker.knownChannels();
		this.clock.advance(Duration.ofHours(2));
		this.broker.position(channel()).block(WAIT);
		assertThat(this.broker.knownChannels()).isEqualTo(known - 1 + 1);
		StreamPosition again = this.broker.position(idle).block(WAIT);
		assertThat(again.epoch()).isNotEqualTo(idleEpoch);
		assertThat(again.offset()).isZero();
		assertThat(this.broker.position(listened).block(WAIT)).isEqualTo(new StreamPosition(listenedEpoch, 1));
		registration.dispose();
	}

	@Test
	void whatRecipientsAttachToAnEventShouldNotStayInTheHistory() {
		// the fan-out and a replay attach wire forms to the instances they get; the
		// history's byte bound counts JSON only, so it must keep instances of its own
		String channel = channel();
		Publication delivered = this.broker.publish(channel, "tab:output", data(1)).block(WAIT);
		delivered.attachment(() -> "forms of the live recipients");
		Publication replayed = this.broker.history(channel, 0, 10).block(WAIT).events().get(0);
		assertThat(replayed).isEqualTo(delivered);
		assertThat(replayed.<String>attachment(() -> "forms of a replay")).isEqualTo("forms of a replay");
		Publication again = this.broker.history(channel, 0, 10).block(WAIT).events().get(0);
		assertThat(again.<String>attachment(() -> "forms of the next replay")).isEqualTo("forms of the next replay");
	}

	/**
	 * The history's bound counts the events' JSON; it must hold nothing else of them.
	 * Before, it kept each event's decoded tree, which for a payload of many small
	 * objects takes several times the heap of the JSON it was counted as.
	 */
	@Test
	void theHistoryShouldHoldItsEventsJsonNotTheirDecodedTrees() {
		String channel = channel();
		WeakReference<JsonNode> tree = publishManySmallObjects(this.broker, channel);
		assertThat(collected(tree)).as("the event's tree once nothing but the history holds the event").isTrue();
		Publication replayed = this.broker.history(channel, 0, 10).block(WAIT).events().get(0);
		assertThat(replayed.event().data().path("items").size()).isEqualTo(1000);
		assertThat(replayed.json()).contains("\"items\":[{\"i\":0},");
	}

	/**
	 * Publishes one event of 1,000 small objects; a weak reference to its data's tree.
	 */
	static WeakReference<JsonNode> publishManySmallObjects(Broker broker, String channel) {
		ObjectNode data = HubJson.object();
		ArrayNode items = data.putArray("items");
		for (int i = 0; i < 1000; i++) {
			items.addObject().put("i", i);
		}
		Publication published = broker.publish(channel, "tab:output", data).block(WAIT);
		assertThat(published.event().data()).isSameAs(data);
		return new WeakReference<>(data);
	}

	/** Whether the referent is collected within a few full collections. */
	static boolean collected(WeakReference<?> reference) {
		for (int i = 0; i < 10 && reference.get() != null; i++) {
			System.gc();
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return reference.get() == null;
	}

	@Test
	void shouldForgetAnEphemeralChannelSoonAfterItsLastPublish() {
		String channel = "client:" + UUID.randomUUID();
		this.broker.publish(channel, "sync:reply", data(1)).block(WAIT);
		assertThat(holdsState(channel)).isTrue();
		this.clock.advance(Duration.ofMinutes(11));
		this.broker.position(channel()).block(WAIT);
		assertThat(holdsState(channel)).isFalse();
	}

	static final class MutableClock extends Clock {

		private volatile Instant now = Instant.now();

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
