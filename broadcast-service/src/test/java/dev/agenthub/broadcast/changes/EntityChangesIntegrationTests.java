package dev.agenthub.broadcast.changes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.History;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
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

/**
 * Seed 003's entity changes on a real PostgreSQL and Redis: {@code POST /api/changes}
 * publishes and records, {@code GET /api/sync?kind=changes} reads them back in log order
 * and never skips one that was committed late.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EntityChangesIntegrationTests {

	static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

	static final Duration WAIT = Duration.ofSeconds(20);

	static final String SERVICE = TestTokens.service("claude-ui-hub");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("hub.engine", () -> "redis");
		registry.add("hub.redis.url", RedisFixture::url);
		registry.add("hub.broker.key-prefix", RedisFixture::uniquePrefix);
		registry.add("hub.postgres.url", () -> DATABASE.r2dbcUrl().substring("r2dbc:".length()));
		registry.add("hub.postgres.user", DATABASE::username);
		registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	WebTestClient client() {
		return TestHttp.client(this.port, WAIT);
	}

	WebTestClient.ResponseSpec change(String token, String body) {
		WebTestClient.RequestBodySpec request = client().post()
			.uri("/api/changes")
			.contentType(MediaType.APPLICATION_JSON);
		if (token != null) {
			request = request.header("Authorization", "Bearer " + token);
		}
		return request.bodyValue(body).exchange();
	}

	JsonNode record(String channel, String recordId, String action, String data) {
		return change(SERVICE,
				"{\"channel\":\"" + channel + "\",\"event\":\"task.statusChanged\",\"table\":\"tasks\",\"recordId\":\""
						+ recordId + "\",\"action\":\"" + action + "\"" + ((data != null) ? ",\"data\":" + data : "")
						+ "}")
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	JsonNode sync(String since, String channels) {
		return client().get()
			.uri((uri) -> uri.path("/api/sync")
				.queryParam("kind", "changes")
				.queryParam("since", since)
				.queryParam("channels", channels)
				.build())
			.header("Authorization", "Bearer " + SERVICE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void shouldPublishTheEventAndAnswerSyncWithTheChange() {
		String before = Instant.now().minusSeconds(1).toString();
		JsonNode recorded = record("workspace:ch1", "t-1", "update",
				"{\"taskId\":\"t-1\",\"status\":\"done\",\"projectId\":\"p1\"}");
		assertThat(recorded.get("published").get("channel").asString()).isEqualTo("workspace:ch1");

		History history = this.broker.history("workspace:ch1", 0, 10).block(WAIT);
		JsonNode event = HubJson.parse(history.events().get(history.events().size() - 1).json());
		assertThat(event.get("type").asString()).isEqualTo("task.statusChanged");
		assertThat(event.get("data").toString())
			.isEqualTo("{\"taskId\":\"t-1\",\"status\":\"done\",\"projectId\":\"p1\"}");

		record("workspace:ch1", "t-1", "delete", null);
		record("workspace:other", "t-9", "insert", "{\"taskId\":\"t-9\"}");
		JsonNode page = sync(before, "workspace:ch1");
		assertThat(page.get("changes")).hasSize(2);
		JsonNode update = page.get("changes").get(0);
		assertThat(update.get("table").asString()).isEqualTo("tasks");
		assertThat(update.get("recordId").asString()).isEqualTo("t-1");
		assertThat(update.get("action").asString()).isEqualTo("update");
		assertThat(update.get("data").get("status").asString()).isEqualTo("done");
		assertThat(update.get("timestamp").asString()).isEqualTo(recorded.get("change").get("timestamp").asString());
		JsonNode delete = page.get("changes").get(1);
		assertThat(delete.get("action").asString()).isEqualTo("delete");
		assertThat(delete.has("data")).isFalse();
		assertThat(page.get("syncTimestamp").asString()).isEqualTo(delete.get("timestamp").asString());
		assertThat(page.get("hasMore").asBoolean()).isFalse();
		assertThat(sync(page.get("syncTimestamp").asString(), "workspace:ch1").get("changes")).isEmpty();
		assertThat(sync(page.get("syncTimestamp").asString(), "workspace:ch1").get("syncTimestamp").asString())
			.isEqualTo(page.get("syncTimestamp").asString());
	}

	@Test
	void shouldRefuseBadChangesAndNonPublishers() {
		String good = "{\"channel\":\"workspace:ch2\",\"event\":\"task.statusChanged\",\"table\":\"tasks\","
				+ "\"recordId\":\"t\",\"action\":\"insert\",\"data\":{}}";
		change(TestTokens.user("alice", "ch2"), good).expectStatus().isForbidden();
		change(null, good).expectStatus().isUnauthorized();
		for (String bad : List.of(good.replace("insert", "upsert"), good.replace(",\"data\":{}", ""),
				good.replace("workspace:ch2", "nowhere"), good.replace("\"tasks\"", "\"drop table;\""),
				good.replace("task.statusChanged", "1bad"), good.replace("{}}", "[1]}"), "[]")) {
			change(SERVICE, bad).expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("bad_request");
		}
		client().get()
			.uri("/api/sync?kind=nope&since=2026-01-01T00:00:00Z&channels=*")
			.header("Authorization", "Bearer " + SERVICE)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void shouldNotRecordADeleteWhoseEventIsRefused() {
		// A delete without data publishes {}, which tab:output refuses (no tabId): the
		// change was recorded all the same, and every retry recorded it again.
		String before = Instant.now().minusSeconds(1).toString();
		for (int attempt = 0; attempt < 2; attempt++) {
			change(SERVICE,
					"{\"channel\":\"workspace:ch5\",\"event\":\"tab:output\",\"table\":\"tabs\","
							+ "\"recordId\":\"t\",\"action\":\"delete\"}")
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request");
		}
		assertThat(sync(before, "workspace:ch5").get("changes")).isEmpty();
	}

	@Test
	void shouldAnswerUnavailableWhenTheDatabaseFailsAChange() throws Exception {
		DATABASE.withoutTable("hub_change",
				() -> change(SERVICE,
						"{\"channel\":\"workspace:ch6\",\"event\":\"task.statusChanged\",\"table\":\"tasks\","
								+ "\"recordId\":\"t\",\"action\":\"insert\",\"data\":{}}")
					.expectStatus()
					.isEqualTo(503)
					.expectBody()
					.jsonPath("$.code")
					.isEqualTo("unavailable"));
	}

	@Test
	void shouldNeverSkipAChangeCommittedAfterALaterReader() throws Exception {
		String since = sync(Instant.now().minusSeconds(1).toString(), "workspace:ch3").get("syncTimestamp").asString();
		// A writer holds the log's clock (as a slow transaction would) while a reader
		// syncs, then commits.
		try (Connection jdbc = DriverManager.getConnection(DATABASE.jdbcUrl());
				Statement statement = jdbc.createStatement()) {
			jdbc.setAutoCommit(false);
			statement.execute("SELECT last_seq FROM hub_change_clock WHERE id = 1 FOR UPDATE");
			CompletableFuture<JsonNode> pending = CompletableFuture
				.supplyAsync(() -> record("workspace:ch3", "late", "insert", "{\"n\":1}"));
			JsonNode during = sync(since, "workspace:ch3");
			assertThat(during.get("changes")).isEmpty();
			jdbc.commit();
			JsonNode late = pending.get(20, TimeUnit.SECONDS);
			JsonNode after = sync(during.get("syncTimestamp").asString(), "workspace:ch3");
			assertThat(after.get("changes")).hasSize(1);
			assertThat(after.get("changes").get(0).get("timestamp").asString())
				.isEqualTo(late.get("change").get("timestamp").asString());
		}
	}

	@Test
	void shouldHandAConcurrentReaderEveryChangeOfConcurrentWritersExactlyOnce() throws Exception {
		int writers = 6;
		int each = 20;
		String since = sync(Instant.now().minusSeconds(1).toString(), "workspace:ch4").get("syncTimestamp").asString();
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		AtomicBoolean writing = new AtomicBoolean(true);
		List<CompletableFuture<Void>> done = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			int writer = w;
			done.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < each; i++) {
					record("workspace:ch4", writer + "-" + i, "insert", "{\"n\":" + i + "}");
				}
			}, pool));
		}
		CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
			.whenComplete((ignored, ex) -> writing.set(false));
		List<String> seen = new ArrayList<>();
		List<Instant> times = new ArrayList<>();
		String position = since;
		boolean last = false;
		while (!last) {
			last = !writing.get();
			JsonNode page = sync(position, "workspace:ch4");
			page.get("changes").forEach((change) -> {
				seen.add(change.get("recordId").asString());
				times.add(Instant.parse(change.get("timestamp").asString()));
			});
			position = page.get("syncTimestamp").asString();
			last = last && !page.get("hasMore").asBoolean();
		}
		all.get(60, TimeUnit.SECONDS);
		pool.shutdown();
		assertThat(seen).hasSize(writers * each);
		assertThat(new HashSet<>(seen)).hasSize(writers * each);
		assertThat(times).isSorted();
		assertThat(Set.copyOf(times)).hasSize(times.size());
	}

}
