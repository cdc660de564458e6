package dev.agenthub.gateway.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

import dev.agenthub.broadcast.history.HistoryController.HistoryPage;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.broker.Publication;
import dev.agenthub.broker.StreamPosition;
import dev.agenthub.broker.memory.InMemoryBroker;
import dev.agenthub.broker.memory.InMemoryLogFeed;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.gateway.config.GatewayProperties;
import dev.agenthub.gateway.metrics.GatewayMetrics;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recovery beyond the engine's window: the engine (memory, window of 10) holds the newest
 * events, a stand-in for broadcast-service's history API serves the older ones, and the
 * outcome is every missed event exactly once, in order, or {@code recovered=false} with
 * nothing.
 */
class RecoveryTests {

	private static final String CHANNEL = "workspace:w1";

	private static final int WINDOW = 10;

	private final InMemoryBroker broker = new InMemoryBroker(WINDOW, new InMemoryLogFeed(1000));

	private final List<HubEvent> published = new ArrayList<>();

	private final AtomicInteger logRequests = new AtomicInteger();

	/** Log requests the stand-in is answering now, and the most at once. */
	private final AtomicInteger logAnswering = new AtomicInteger();

	private final AtomicInteger logMostAtOnce = new AtomicInteger();

	/** What each log answer waits for (nothing unless a test holds them). */
	private volatile Mono<Void> logGate = Mono.empty();

	/** Which offsets the stand-in log holds; may change while recovery runs. */
	private volatile LongPredicate logged = (offset) -> true;

	private DisposableServer logServer;

	private Recovery recovery;

	private GatewayProperties properties;

	private LogHistoryClient log;

	private String epoch;

	@BeforeEach
	void start() {
		for (int i = 1; i <= 50; i++) {
			Publication publication = this.broker.publish(CHANNEL, "tab:output", HubJson.tree(Map.of("n", i)))
				.block(Duration.ofSeconds(5));
			this.published.add(publication.event());
		}
		this.epoch = this.published.get(0).epoch();
		this.logServer = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/api/channels/{channel}/events", (request, response) -> {
				this.logRequests.incrementAndGet();
				Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
				long since = Long.parseLong(query.get("since").get(0));
				int limit = Integer.parseInt(query.get("limit").get(0));
				List<HubEvent> after = new ArrayList<>();
				for (HubEvent event : this.published) {
					if (event.offset() > since && event.epoch().equals(query.get("epoch").get(0))) {
						if (!this.logged.test(event.offset())) {
							break;
						}
						after.add(event);
					}
				}
				boolean more = after.size() > limit;
				HistoryPage page = new HistoryPage(request.param("channel"), this.epoch,
						more ? after.subList(0, limit) : after, more);
				this.logMostAtOnce.accumulateAndGet(this.logAnswering.incrementAndGet(), Math::max);
				return response.header("Content-Type", "application/json")
					.sendString(this.logGate.then(Mono.fromSupplier(() -> HubJson.write(page))))
					.then()
					.doFinally((signal) -> this.logAnswering.decrementAndGet());
			}))
			.bindNow();
		GatewayProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("hub.gateway.history-url", "http://127.0.0.1:" + this.logServer.port())))
			.bindOrCreate("hub.gateway", GatewayProperties.class);
		this.properties = properties;
		this.log = new LogHistoryClient(WebClient.builder(), properties, () -> "token");
		this.recovery = new Recovery(this.broker, this.log, properties, GatewayMetrics.NOOP);
	}

	@AfterEach
	void stop() {
		this.logServer.disposeNow();
	}

	@Test
	void aCrowdOfRecoveriesReadsTheEngineAFewAtATimeAndEveryOneIsAnswered() {
		// a dead gateway's clients all resubscribe with `since` at once: their history
		// reads wait their turn in memory, not in the engine's command queue
		AtomicInteger reading = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		Sinks.Empty<Void> slowEngine = Sinks.empty();
		Broker engine = new Broker() {

			@Override
			public Mono<Publication> publish(String channel, String type, JsonNode data) {
				return RecoveryTests.this.broker.publish(channel, type, data);
			}

			@Override
			public Mono<StreamPosition> position(String channel) {
				return RecoveryTests.this.broker.position(channel);
			}

			@Override
			public Mono<History> history(String channel, long since, int limit) {
				return Mono.defer(() -> {
					mostAtOnce.accumulateAndGet(reading.incrementAndGet(), Math::max);
					return slowEngine.asMono()
						.then(RecoveryTests.this.broker.history(channel, since, limit))
						.doOnTerminate(reading::decrementAndGet);
				});
			}

			@Override
			public Mono<History> existingHistory(String channel, long since, int limit) {
				return RecoveryTests.this.broker.existingHistory(channel, since, limit);
			}

			@Override
			public Mono<Disposable> subscribe(String channel, Consumer<Publication> listener) {
				return RecoveryTests.this.broker.subscribe(channel, listener);
			}

		};
		Recovery crowded = new Recovery(engine, this.log, this.properties, GatewayMetrics.NOOP);
		int crowd = Recovery.MAX_READING * 5;
		List<Mono<Recovery.Outcome>> outcomes = new ArrayList<>();
		for (int i = 0; i < crowd; i++) {
			outcomes.add(crowded.recover(CHANNEL, this.epoch, 45).cache());
			outcomes.get(i).subscribe();
		}
		assertThat(reading).hasValue(Recovery.MAX_READING);
		slowEngine.tryEmitEmpty();
		for (Mono<Recovery.Outcome> outcome : outcomes) {
			assertThat(offsets(outcome.block(Duration.ofSeconds(5)))).containsExactly(46L, 47L, 48L, 49L, 50L);
		}
		assertThat(mostAtOnce).hasValue(Recovery.MAX_READING);
		assertThat(reading).hasValue(0);
	}

	/**
	 * The attack: many connections asking at once for events from far back (each log read
	 * buffers up to 16 MB) to exhaust the heap. The node reads the log for a few of them
	 * at a time, the others wait their turn, and every one is answered.
	 */
	@Test
	void aCrowdOfDeepRecoveriesReadsTheLogAFewAtATimeAndEveryOneIsAnswered() throws InterruptedException {
		Sinks.Empty<Void> slowLog = Sinks.empty();
		this.logGate = slowLog.asMono();
		int crowd = Recovery.MAX_LOG_READING * 4;
		List<Mono<Recovery.Outcome>> outcomes = new ArrayList<>();
		for (int i = 0; i < crowd; i++) {
			outcomes.add(this.recovery.recover(CHANNEL, this.epoch, 5).cache());
			outcomes.get(i).subscribe();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.logAnswering.get() >= Recovery.MAX_LOG_READING);
		// time for any read past the bound to reach the log (none may)
		Thread.sleep(500);
		assertThat(this.logAnswering).hasValue(Recovery.MAX_LOG_READING);
		slowLog.tryEmitEmpty();
		for (Mono<Recovery.Outcome> outcome : outcomes) {
			assertThat(offsets(outcome.block(Duration.ofSeconds(10)))).containsExactlyElementsOf(range(6, 50));
		}
		assertThat(this.logMostAtOnce).hasValue(Recovery.MAX_LOG_READING);
		assertThat(this.logRequests).hasValue(crowd);
	}

	/**
	 * The attack: many connections asking for events from the log and never reading their
	 * replay, each pinning what was read until it is sent. The node holds at most its
	 * budget of them (8 reads' worth of {@code recovery-max-bytes}); past it a recovery
	 * from the log answers {@code recovered=false}, and a replay sent or given up frees
	 * its share.
	 */
	@Test
	void replaysNobodyReadsHoldNoMoreThanTheNodesBudgetOfLogEvents() {
		GatewayProperties small = new Binder(new MapConfigurationPropertySource(Map.of("hub.gateway.history-url",
				"http://127.0.0.1:" + this.logServer.port(), "hub.gateway.recovery-max-bytes", "1KB")))
			.bindOrCreate("hub.gateway", GatewayProperties.class);
		Recovery recovery = new Recovery(this.broker, new LogHistoryClient(WebClient.builder(), small, () -> "token"),
				small, GatewayMetrics.NOOP);
		long budget = Recovery.MAX_LOG_READING * 1024L;
		List<Boolean> answers = new ArrayList<>();
		List<Disposable> neverRead = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			// events 36..40 from the log (the engine holds 41..50), under 1 KB
			Sinks.One<Boolean> answered = Sinks.one();
			neverRead.add(recovery.recover(CHANNEL, this.epoch, 35, (outcome) -> {
				answered.tryEmitValue(outcome.recovered());
				return Mono.never();
			}).subscribe());
			answers.add(answered.asMono().block(Duration.ofSeconds(10)));
			assertThat(recovery.heldBytes()).isLessThanOrEqualTo(budget);
		}
		assertThat(answers).contains(true, false);
		assertThat(answers.subList(answers.indexOf(false), answers.size())).as("once the budget is spent")
			.containsOnly(false);
		neverRead.forEach(Disposable::dispose);
		assertThat(recovery.heldBytes()).isZero();
		assertThat(recovery.recover(CHANNEL, this.epoch, 35).block(Duration.ofSeconds(10)).recovered()).isTrue();
	}

	@Test
	void withinTheWindowTheEngineAloneAnswers() {
		Recovery.Outcome outcome = this.recovery.recover(CHANNEL, this.epoch, 45).block(Duration.ofSeconds(5));

		assertThat(outcome.recovered()).isTrue();
		assertThat(offsets(outcome)).containsExactly(46L, 47L, 48L, 49L, 50L);
		assertThat(this.logRequests).hasValue(0);
	}

	@Test
	void beyondTheWindowTheLogFillsTheGapExactlyOnce() {
		Recovery.Outcome outcome = this.recovery.recover(CHANNEL, this.epoch, 5).block(Duration.ofSeconds(5));

		assertThat(outcome.recovered()).isTrue();
		assertThat(offsets(outcome)).containsExactlyElementsOf(range(6, 50));
		assertThat(outcome.offset()).isEqualTo(50);
	}

	@Test
	void aLogStillBehindTheEngineIsReadAgainUntilItCatchesUp() {
		// the log writer has only reached offset 20; it catches up on the third read
		this.logged = (offset) -> offset <= 20 || this.logRequests.get() >= 3;

		Recovery.Outcome outcome = this.recovery.recover(CHANNEL, this.epoch, 5).block(Duration.ofSeconds(10));

		assertThat(outcome.recovered()).isTrue();
		assertThat(offsets(outcome)).containsExactlyElementsOf(range(6, 50));
		assertThat(this.logRequests.get()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aLogThatNeverCatchesUpGivesNothingPartial() {
		this.logged = (offset) -> offset <= 20;

		Recovery.Outcome outcome = this.recovery.recover(CHANNEL, this.epoch, 5).block(Duration.ofSeconds(10));

		assertThat(outcome.recovered()).isFalse();
		assertThat(outcome.events()).isEmpty();
		assertThat(outcome.position()).isEqualTo(new StreamPosition(this.epoch, 50));
	}

	@Test
	void aGapOverTheByteLimitIsNotRecoveredAndNotReadToTheEnd() {
		GatewayProperties small = new Binder(new MapConfigurationPropertySource(Map.of("hub.gateway.history-url",
				"http://127.0.0.1:" + this.logServer.port(), "hub.gateway.recovery-max-bytes", "1KB")))
			.bindOrCreate("hub.gateway", GatewayProperties.class);
		LogHistoryClient bounded = new LogHistoryClient(WebClient.builder(), small, () -> "token");
		Recovery recovery = new Recovery(this.broker, bounded, small, GatewayMetrics.NOOP);

		// 40 events from the log, well over 1 KB: a client asking from far back refetches
		Recovery.Outcome outcome = recovery.recover(CHANNEL, this.epoch, 0).block(Duration.ofSeconds(10));
		assertThat(outcome.recovered()).isFalse();
		assertThat(outcome.events()).isEmpty();
		// one page, not the catch-up re-reads of a log that is behind
		assertThat(this.logRequests).hasValue(1);
		// within the limit: recovered as before
		assertThat(recovery.recover(CHANNEL, this.epoch, 38).block(Duration.ofSeconds(10)).recovered()).isTrue();
	}

	@Test
	void aDownLogGivesNothingPartial() {
		this.logServer.disposeNow();

		Recovery.Outcome outcome = this.recovery.recover(CHANNEL, this.epoch, 5).block(Duration.ofSeconds(10));

		assertThat(outcome.recovered()).isFalse();
		assertThat(outcome.events()).isEmpty();
	}

	@Test
	void anotherEpochOrAFutureOffsetIsNotRecovered() {
		assertThat(this.recovery.recover(CHANNEL, "other", 45).block(Duration.ofSeconds(5)).recovered()).isFalse();
		assertThat(this.recovery.recover(CHANNEL, this.epoch, 51).block(Duration.ofSeconds(5)).recovered()).isFalse();
	}

	private static List<Long> offsets(Recovery.Outcome outcome) {
		return outcome.events().stream().map(Publication::offset).toList();
	}

	private static List<Long> range(long from, long to) {
		List<Long> out = new ArrayList<>();
		for (long i = from; i <= to; i++) {
			out.add(i);
		}
		return out;
	}

}
