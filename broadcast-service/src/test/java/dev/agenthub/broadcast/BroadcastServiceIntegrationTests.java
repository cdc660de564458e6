package dev.agenthub.broadcast;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.broadcast.log.LogWriter;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BroadcastServiceIntegrationTests {

	static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
		HubTestProperties.postgres(DATABASE).forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Autowired
	EventLogRepository repository;

	@Autowired
	LogWriter writer;

	WebTestClient client() {
		return TestHttp.client(this.port, Duration.ofSeconds(5));
	}

	WebTestClient.ResponseSpec post(String uri, String token, String json) {
		return client().post()
			.uri(uri)
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	@Test
	void shouldLogEveryPublishedEventInPostgresWithinASecond() {
		Publication published = this.broker
			.publish("workspace:w1", "tab:output", HubJson.parse("{\"tabId\":\"t1\",\"data\":\"hello\\n\"}"))
			.block(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			List<HubEvent> logged = this.repository.findAfter("workspace:w1", published.event().epoch(), 0, 10)
				.collectList()
				.block(Duration.ofSeconds(5));
			assertThat(logged).containsExactly(published.event());
		});
	}

	@Test
	void shouldWriteABatchOnceSkippingEventsAlreadyLoggedOrRepeatedInIt() {
		String channel = "workspace:w-batch-" + System.nanoTime();
		Instant t0 = Instant.parse("2026-12-02T19:30:00.123Z");
		HubEvent first = new HubEvent("tab:output", channel, 1, "e1", HubJson.parse("{\"data\":\"ls\\n\",\"n\":[1,2]}"),
				t0);
		HubEvent second = new HubEvent("tab:output", channel, 2, "e1", HubJson.parse("{\"data\":\"ünïcødé \\u0000?\"}"),
				t0.plusMillis(1));
		HubEvent third = new HubEvent("tab:stopped", channel, 3, "e1", HubJson.parse("{}"), t0.plusSeconds(86_400));

		assertThat(this.repository.insert(List.of(first, second)).block(Duration.ofSeconds(5))).isEqualTo(2);
		// a batch delivered again after a crash, with one event twice in it
		assertThat(this.repository.insert(List.of(second, third, third, first)).block(Duration.ofSeconds(5)))
			.isEqualTo(1);

		assertThat(this.repository.findAfter(channel, "e1", 0, 10).collectList().block(Duration.ofSeconds(5)))
			.containsExactly(first, second, third);
	}

	@Test
	void shouldLogEventsPublishedWhileTheWriterWasDown() {
		this.writer.stop();
		String epoch = null;
		try {
			for (int i = 1; i <= 20; i++) {
				epoch = this.broker
					.publish("workspace:down", "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
					.block(Duration.ofSeconds(5))
					.event()
					.epoch();
			}
		}
		finally {
			this.writer.start();
		}
		String theEpoch = epoch;
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<HubEvent> logged = this.repository.findAfter("workspace:down", theEpoch, 0, 100)
				.collectList()
				.block(Duration.ofSeconds(5));
			assertThat(logged).extracting(HubEvent::offset)
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
		});
	}

	@Test
	void shouldServeHistoryAfterAnOffsetInOrderWithPaging() {
		String channel = "workspace:hist";
		String epoch = null;
		for (int i = 1; i <= 5; i++) {
			epoch = this.broker
				.publish(channel, "tab:output", HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + "\"}"))
				.block(Duration.ofSeconds(5))
				.event()
				.epoch();
		}
		String theEpoch = epoch;
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.repository.findAfter(channel, theEpoch, 0, 10).count().block() == 5);
		JsonNode page = client().get()
			.uri("/api/channels/{c}/events?epoch={e}&since=2&limit=2", channel, epoch)
			.header("Authorization", "Bearer " + TestTokens.user("u1", "hist"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(page.get("events")).hasSize(2);
		assertThat(page.get("events").get(0).get("offset").asLong()).isEqualTo(3);
		assertThat(page.get("events").get(1).get("data").get("data").asString()).isEqualTo("4");
		assertThat(page.get("hasMore").asBoolean()).isTrue();
	}

	@Test
	void shouldCutAHistoryPageAtItsByteBudgetAndPageOnWithoutLosingAnEvent() {
		// 150 events of about 60 KB each (9 MB): more than one page's budget of 4 MiB,
		// asked for with the largest limit.
		String channel = "workspace:big";
		String chunk = "x".repeat(60_000);
		List<HubEvent> events = new ArrayList<>();
		Instant t0 = Instant.parse("2026-12-02T19:30:00Z");
		for (int i = 1; i <= 150; i++) {
			events.add(new HubEvent("tab:output", channel, i, "ebig",
					HubJson.parse("{\"tabId\":\"t\",\"data\":\"" + i + chunk + "\"}"), t0.plusMillis(i)));
		}
		for (int from = 0; from < events.size(); from += 50) {
			this.repository.insert(events.subList(from, from + 50)).block(Duration.ofSeconds(30));
		}
		WebTestClient client = TestHttp.builder(this.port, Duration.ofSeconds(30))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build();
		List<Long> offsets = new ArrayList<>();
		long since = 0;
		int pages = 0;
		boolean more = true;
		while (more && pages < 10) {
			JsonNode page = client.get()
				.uri("/api/channels/{c}/events?epoch=ebig&since={s}&limit=10000", channel, since)
				.header("Authorization", "Bearer " + TestTokens.user("u1", "big"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(page.get("events")).isNotEmpty();
			long bytes = 0;
			for (JsonNode event : page.get("events")) {
				long offset = event.get("offset").asLong();
				assertThat(event.get("data").get("data").asString()).isEqualTo(offset + chunk);
				offsets.add(offset);
				bytes += HubJson.write(event.get("data")).getBytes(StandardCharsets.UTF_8).length;
			}
			assertThat(bytes).as("event data in page %d", pages + 1).isLessThanOrEqualTo(4 * 1024 * 1024);
			since = offsets.get(offsets.size() - 1);
			more = page.get("hasMore").asBoolean();
			pages++;
		}
		assertThat(pages).isBetween(3, 9);
		assertThat(offsets).containsExactlyElementsOf(LongStream.rangeClosed(1, 150).boxed().toList());
	}

	@Test
	void shouldRefuseAMalformedEpochWith400() {
		// A NUL character reached PostgreSQL, which refused the query: a 500.
		for (String epoch : List.of("\u0000", "ab\u0000", "e".repeat(33), "EPOCH", "a-b")) {
			client().get()
				.uri("/api/channels/broadcast/events?epoch={e}", epoch)
				.header("Authorization", "Bearer " + TestTokens.user("u1", "w1"))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request");
		}
	}

	@Test
	void shouldAnswerUnavailableWhenTheDatabaseFailsAHistoryRead() throws Exception {
		DATABASE.withoutTable("hub_event",
				() -> client().get()
					.uri("/api/channels/broadcast/events?epoch=abc")
					.header("Authorization", "Bearer " + TestTokens.user("u1", "w1"))
					.exchange()
					.expectStatus()
					.isEqualTo(503)
					.expectBody()
					.jsonPath("$.code")
					.isEqualTo("unavailable"));
	}

	@Test
	void shouldRefuseHistoryOfAnotherTenantsWorkspace() {
		client().get()
			.uri("/api/channels/workspace:w9/events?epoch=e")
			.header("Authorization", "Bearer " + TestTokens.user("u1", "w1"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("forbidden");
		client().get().uri("/api/channels/workspace:w1/events?epoch=e").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void shouldPublishThroughTheApiWithAServiceToken() {
		JsonNode result = post("/api/publish", TestTokens.service("ci"),
				"{\"channel\":\"workspace:pub\",\"type\":\"startup:progress\",\"data\":{\"step\":\"clone\",\"percent\":10}}")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(result.get("offset").asLong()).isEqualTo(1);
		assertThat(result.get("epoch").asString()).isNotBlank();
	}

	@Test
	void shouldPublishABatchInOrderAndLogIt() {
		JsonNode result = post("/api/publish/batch", TestTokens.service("ci"), """
				{"events":[
				  {"channel":"workspace:batch-a","type":"tab:output","data":{"tabId":"t","data":"1"}},
				  {"channel":"workspace:batch-b","type":"tab:output","data":{"tabId":"t","data":"x"}},
				  {"channel":"workspace:batch-a","type":"tab:output","data":{"tabId":"t","data":"2"}}]}
				""").expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
		JsonNode results = result.get("results");
		assertThat(results).hasSize(3);
		assertThat(results.get(0).get("channel").asString()).isEqualTo("workspace:batch-a");
		assertThat(results.get(0).get("offset").asLong()).isEqualTo(1);
		assertThat(results.get(1).get("channel").asString()).isEqualTo("workspace:batch-b");
		assertThat(results.get(1).get("offset").asLong()).isEqualTo(1);
		assertThat(results.get(2).get("offset").asLong()).isEqualTo(2);
		String epoch = results.get(0).get("epoch").asString();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.repository.findAfter("workspace:batch-a", epoch, 0, 10)
				.map((event) -> event.data().get("data").asString())
				.collectList()
				.block(Duration.ofSeconds(5))).containsExactly("1", "2"));
	}

	@Test
	void shouldRefuseABatchWithOneBadEventAndPublishNothing() {
		post("/api/publish/batch", TestTokens.service("ci"), """
				{"events":[
				  {"channel":"workspace:batch-bad","type":"tab:output","data":{"tabId":"t","data":"1"}},
				  {"channel":"room:1","type":"tab:output","data":{"tabId":"t","data":"2"}}]}
				""").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((String error) -> assertThat(error).startsWith("events[1]: "));
		assertThat(this.broker.position("workspace:batch-bad").block(Duration.ofSeconds(5)).offset()).isZero();
		post("/api/publish/batch", TestTokens.service("ci"), "{\"events\":[]}").expectStatus().isBadRequest();
		post("/api/publish/batch", TestTokens.user("u1", "batch-bad"), "{\"events\":[]}").expectStatus().isForbidden();
	}

	@Test
	void shouldRejectBadPublishesPrecisely() {
		post("/api/publish", TestTokens.service("ci"),
				"{\"channel\":\"workspace:pub\",\"type\":\"startup:progress\",\"data\":{\"step\":\"clone\",\"percent\":300}}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("startup:progress: percent must be between 0 and 100 but was 300");
		post("/api/publish", TestTokens.service("ci"), "{\"channel\":\"room:1\",\"type\":\"x\",\"data\":{}}")
			.expectStatus()
			.isBadRequest();
		post("/api/publish", TestTokens.user("u1", "pub"), "{\"channel\":\"workspace:pub\",\"type\":\"x\",\"data\":{}}")
			.expectStatus()
			.isForbidden();
	}

}
