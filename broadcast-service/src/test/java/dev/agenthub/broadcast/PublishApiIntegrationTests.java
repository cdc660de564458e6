package dev.agenthub.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PublishApiIntegrationTests {

	static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

	static final Duration WAIT = Duration.ofSeconds(10);

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

	WebTestClient.ResponseSpec post(String path, String token, String body) {
		WebTestClient.RequestBodySpec request = TestHttp.client(this.port, WAIT)
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON);
		if (token != null) {
			request = request.header("Authorization", "Bearer " + token);
		}
		return request.bodyValue(body).exchange();
	}

	JsonNode get(String uri, String token) {
		return TestHttp.getJson(this.port, WAIT, uri, token);
	}

	/** A GET whose answer may be large (the client's default takes 256 KB). */
	JsonNode getLarge(String uri, String token) {
		return TestHttp.getJson(this.port, WAIT, uri, token, 64 * 1024 * 1024);
	}

	JsonNode lastEvent(String channel) {
		History history = this.broker.history(channel, 0, 1000).block(WAIT);
		assertThat(history.events()).isNotEmpty();
		return HubJson.parse(history.events().get(history.events().size() - 1).json());
	}

	@Test
	void shouldPublishNotificationsToOneUserOrEveryone() {
		JsonNode result = post("/api/notifications", TestTokens.service("ci"),
				"{\"level\":\"warning\",\"message\":\"disk almost full\",\"userId\":\"u42\"}")
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(result.get("channel").asString()).isEqualTo("user:u42");
		JsonNode event = lastEvent("user:u42");
		assertThat(event.get("type").asString()).isEqualTo("notification");
		assertThat(event.get("data").get("message").asString()).isEqualTo("disk almost full");
		assertThat(event.get("data").get("level").asString()).isEqualTo("warning");
		post("/api/notifications", TestTokens.admin("root"), "{\"level\":\"info\",\"message\":\"deploy at 5\"}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.channel")
			.isEqualTo("broadcast");
		JsonNode everyone = lastEvent("broadcast");
		assertThat(everyone.get("data").has("userId")).isFalse();
	}

	@Test
	void shouldPublishChatMessagesAndAgentStatusToBroadcastUnlessAChannelIsNamed() {
		post("/api/chat-messages", TestTokens.service("chat"),
				"{\"conversationId\":\"c1\",\"messageId\":\"m1\",\"content\":\"hi\",\"sender\":\"ann\"}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.channel")
			.isEqualTo("broadcast");
		JsonNode chat = lastEvent("broadcast");
		assertThat(chat.get("type").asString()).isEqualTo("chat_message");
		assertThat(Instant.parse(chat.get("data").get("timestamp").asString())).isNotNull();
		post("/api/chat-messages", TestTokens.service("chat"),
				"{\"conversationId\":\"c1\",\"messageId\":\"m2\",\"content\":\"yo\",\"sender\":\"bo\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"channel\":\"conversation:c1\"}")
			.expectStatus()
			.isOk();
		assertThat(lastEvent("conversation:c1").get("data").get("timestamp").asString())
			.isEqualTo("2026-01-01T00:00:00Z");
		post("/api/agent-status", TestTokens.service("runner"),
				"{\"agentName\":\"claude\",\"state\":\"working\",\"currentTask\":\"tests\",\"progress\":40,\"channel\":\"workspace:w1\"}")
			.expectStatus()
			.isOk();
		JsonNode status = lastEvent("workspace:w1");
		assertThat(status.get("type").asString()).isEqualTo("agent_status");
		assertThat(status.get("data").get("progress").asInt()).isEqualTo(40);
	}

	@Test
	void shouldRejectBadBodiesPreciselyAndOutsiders() {
		String service = TestTokens.service("ci");
		post("/api/notifications", service, "{\"level\":\"loud\",\"message\":\"x\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((String error) -> assertThat(error).startsWith("notification: level must be one of")
				.endsWith("but was 'loud'"));
		post("/api/chat-messages", service, "{\"conversationId\":\"c1\",\"messageId\":\"m1\",\"sender\":\"a\"}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("chat_message: content is required");
		post("/api/agent-status", service, "{\"agentName\":\"a\",\"state\":\"working\",\"progress\":101}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("agent_status: progress must be between 0 and 100 but was 101");
		post("/api/agent-status", service, "{\"agentName\":\"a\",\"state\":\"idle\",\"channel\":\"room:1\"}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("bad_request");
		post("/api/notifications", service, "[1,2]").expectStatus().isBadRequest();
		post("/api/notifications", TestTokens.user("u1", "w1"), "{\"level\":\"info\",\"message\":\"x\"}").expectStatus()
			.isForbidden();
		post("/api/chat-messages", null, "{}").expectStatus().isUnauthorized();
	}

	@Test
	void shouldSyncChangesSinceATimeOnTheNamedChannelsInPages() {
		Instant since = Instant.now().minusSeconds(1);
		List<Long> mine = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			mine.add(this.broker.publish("workspace:sync1", "task.statusChanged", HubJson.parse("{\"n\":" + i + "}"))
				.block(WAIT)
				.offset());
			this.broker.publish("workspace:other", "task.statusChanged", HubJson.parse("{\"n\":" + i + "}"))
				.block(WAIT);
		}
		String service = TestTokens.service("gateway");
		await().atMost(WAIT)
			.until(() -> get("/api/sync?since=" + since + "&channels=workspace:sync1&limit=100", service).get("changes")
				.size() == 7);
		List<Long> offsets = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = get("/api/sync?since=" + since + "&channels=workspace:sync1,user:nobody&limit=3"
					+ ((cursor != null) ? "&cursor=" + cursor : ""), service);
			page.get("changes").forEach((event) -> offsets.add(event.get("offset").asLong()));
			cursor = page.get("hasMore").asBoolean() ? page.get("cursor").asString() : null;
			assertThat(Instant.parse(page.get("syncTimestamp").asString())).isAfter(since);
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(pages).isEqualTo(3);
		assertThat(offsets).isEqualTo(mine);
		JsonNode all = get("/api/sync?since=" + since + "&channels=workspace:&limit=1000", service);
		assertThat(all.get("changes").size()).isGreaterThanOrEqualTo(14);
		TestHttp.client(this.port, WAIT)
			.get()
			.uri("/api/sync?since=yesterday&channels=*")
			.header("Authorization", "Bearer " + service)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((String error) -> assertThat(error).contains("since must be an ISO-8601 instant"));
	}

	/**
	 * A terminal's output: 120 events of 50 KB. A page holds at most 4 MiB of them (it
	 * held all 120, 6 MB, and 500 such events made a page the gateway refused, so a sync
	 * failed at that point for good); the cursors read every event once, in order.
	 */
	@Test
	void shouldCutASyncPageOfLargeEventsToItsByteBudget() {
		Instant since = Instant.now().minusSeconds(1);
		String text = "x".repeat(50_000);
		List<Long> published = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			published.add(this.broker
				.publish("workspace:sync3", "tab:output", HubJson.object().put("tabId", "t1").put("data", text))
				.block(WAIT)
				.offset());
		}
		String service = TestTokens.service("gateway");
		String first = "/api/sync?since=" + since + "&channels=workspace:sync3&limit=1000";
		await().atMost(WAIT).until(() -> {
			JsonNode page = getLarge(first, service);
			return page.get("hasMore").asBoolean() || page.get("changes").size() == 120;
		});
		List<Long> offsets = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = getLarge(first + ((cursor != null) ? "&cursor=" + cursor : ""), service);
			long bytes = 0;
			for (JsonNode event : page.get("changes")) {
				offsets.add(event.get("offset").asLong());
				bytes += event.get("data").toString().length();
			}
			assertThat(bytes).isLessThanOrEqualTo(4L * 1024 * 1024);
			cursor = page.get("hasMore").asBoolean() ? page.get("cursor").asString() : null;
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(pages).isGreaterThan(1);
		assertThat(offsets).isEqualTo(published);
		// a reader's own bound (the gateway asks for what fits its client's outbound
		// queue): the first event whatever its size, then only what fits
		JsonNode small = getLarge(first + "&maxBytes=120000", service);
		assertThat(small.get("changes").size()).isEqualTo(2);
		assertThat(getLarge(first + "&maxBytes=1", service).get("changes").size()).isEqualTo(1);
		TestHttp.client(this.port, WAIT)
			.get()
			.uri(first + "&maxBytes=" + (8L * 1024 * 1024))
			.header("Authorization", "Bearer " + service)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	/**
	 * A client id's channel named with a time ({@code client:x~T}: the gateway names it
	 * so, from when its holder's claim began) is read from that time on only; the other
	 * channels of the request are read from {@code since}.
	 */
	@Test
	void shouldReadAChannelNamedWithATimeOnlyFromThatTimeOn() throws InterruptedException {
		Instant since = Instant.now().minusSeconds(1);
		this.broker.publish("client:sync-desk", "notification", HubJson.parse("{\"n\":\"former holder\"}")).block(WAIT);
		this.broker.publish("workspace:sync2", "task.statusChanged", HubJson.parse("{\"n\":0}")).block(WAIT);
		Thread.sleep(20);
		Instant claimed = Instant.now();
		Thread.sleep(20);
		this.broker.publish("client:sync-desk", "notification", HubJson.parse("{\"n\":\"holder\"}")).block(WAIT);
		String service = TestTokens.service("gateway");
		String query = "/api/sync?since=" + since + "&channels=workspace:sync2,client:sync-desk~" + claimed;
		await().atMost(WAIT).until(() -> get(query, service).get("changes").size() == 2);
		JsonNode page = get(query, service);
		assertThat(page.get("changes").get(0).get("channel").asString()).isEqualTo("workspace:sync2");
		assertThat(page.get("changes").get(1).get("data").get("n").asString()).isEqualTo("holder");
		// the same without the time: both of the client channel's events
		assertThat(get("/api/sync?since=" + since + "&channels=client:sync-desk", service).get("changes").size())
			.isEqualTo(2);
		TestHttp.client(this.port, WAIT)
			.get()
			.uri("/api/sync?since=" + since + "&channels=client:sync-desk~yesterday")
			.header("Authorization", "Bearer " + service)
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void shouldRefuseSyncInstantsOutsideYearsOneToNineThousandNineHundredNinetyNine() {
		// Java parses them; OffsetDateTime or PostgreSQL then failed with a 500.
		String service = TestTokens.service("gateway");
		List<String> queries = new ArrayList<>();
		for (String instant : List.of("+1000000000-12-31T23:59:59Z", "+300000-01-01T00:00:00Z",
				"+10000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "0000-12-31T23:59:59Z")) {
			queries.add("/api/sync?channels=*&since=" + instant);
			queries.add("/api/sync?kind=changes&channels=*&since=" + instant);
			queries.add("/api/sync?kind=changes&channels=*&since=2026-01-01T00:00:00Z&cursor=" + instant);
		}
		for (String cursor : List.of("31556889864403199.0.0", "253402300800.0.1", "-62135596801.0.1")) {
			queries.add("/api/sync?channels=*&since=2026-01-01T00:00:00Z&cursor=" + cursor);
		}
		for (String query : queries) {
			TestHttp.client(this.port, WAIT)
				.get()
				.uri(java.net.URI.create("http://127.0.0.1:" + this.port + query.replace("+", "%2B")))
				.header("Authorization", "Bearer " + service)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("bad_request");
		}
	}

}
