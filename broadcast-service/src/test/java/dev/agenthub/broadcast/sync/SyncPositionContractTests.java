package dev.agenthub.broadcast.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.agenthub.broadcast.log.EventLogRepository;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timestamp sync's position ({@code GET /api/sync}'s {@code since} and
 * {@code syncTimestamp}) on both databases the log runs on: a client that syncs again
 * from the {@code syncTimestamp} it was given gets neither the last event again nor
 * misses one that another writer logged after it read, though that event was published
 * earlier (a second log replica's batch committing late). Both happened when the position
 * was the events' own publish time: every event of the last page's millisecond came
 * again, and a late batch was skipped for good.
 */
class SyncPositionContractTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	abstract static class Contract {

		@LocalServerPort
		int port;

		@Autowired
		EventLogRepository repository;

		@Test
		void shouldNeitherRepeatTheLastEventNorSkipOneLoggedLate() {
			String channel = "workspace:pos-" + UUID.randomUUID().toString().substring(0, 8);
			Instant published = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			// two events in one millisecond, as a busy channel has them
			HubEvent first = event(channel, 1, published);
			HubEvent second = event(channel, 2, published);
			assertThat(this.repository.insert(List.of(first, second)).block(WAIT)).isEqualTo(2);
			String service = TestTokens.service("gateway");

			JsonNode page = sync(published.minusSeconds(5), channel, service);
			assertThat(offsets(page)).containsExactly(1L, 2L);
			String mark = page.get("syncTimestamp").asString();

			// nothing new since: an empty page, and the same position again
			JsonNode again = sync(Instant.parse(mark), channel, service);
			assertThat(offsets(again)).isEmpty();
			assertThat(again.get("syncTimestamp").asString()).isEqualTo(mark);

			// published before the mark, logged after the client read: the next sync has
			// it
			HubEvent late = event(channel, 3, published.minusMillis(500));
			assertThat(this.repository.insert(List.of(late)).block(WAIT)).isEqualTo(1);
			JsonNode next = sync(Instant.parse(mark), channel, service);
			assertThat(offsets(next)).containsExactly(3L);
			assertThat(sync(Instant.parse(next.get("syncTimestamp").asString()), channel, service).get("changes"))
				.isEmpty();
		}

		@Test
		void shouldStampEveryEventOfABatchApartAndNoEarlierThanItsOwnTime() {
			String channel = "workspace:pos-" + UUID.randomUUID().toString().substring(0, 8);
			// a publisher's clock ahead of the log's: a client syncing from the time of
			// an
			// event it saw live still gets what was published after it
			Instant ahead = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
			List<HubEvent> batch = new ArrayList<>();
			for (int i = 1; i <= 50; i++) {
				batch.add(event(channel, i, ahead.minusMillis(50 - i)));
			}
			this.repository.insert(batch).block(WAIT);
			String service = TestTokens.service("gateway");
			List<Long> read = new ArrayList<>();
			Instant since = ahead.minusMillis(10);
			// pages of 7: each page's syncTimestamp is the next page's since
			for (int pages = 0; pages < 20; pages++) {
				JsonNode page = TestHttp.getJson(this.port, WAIT,
						"/api/sync?since=" + since + "&channels=" + channel + "&limit=7", service);
				List<Long> offsets = offsets(page);
				if (offsets.isEmpty()) {
					break;
				}
				read.addAll(offsets);
				since = Instant.parse(page.get("syncTimestamp").asString());
			}
			// published after the live event at offset 40 (stamped ahead - 10 ms): 41 to
			// 50,
			// each once, in order (the log may send a few before it again, never skip
			// one)
			assertThat(read).containsSubsequence(41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L);
			assertThat(read).doesNotHaveDuplicates().isSorted();
		}

		JsonNode sync(Instant since, String channel, String token) {
			return TestHttp.getJson(this.port, WAIT, "/api/sync?since=" + since + "&channels=" + channel, token);
		}

		static List<Long> offsets(JsonNode page) {
			List<Long> offsets = new ArrayList<>();
			page.get("changes").forEach((event) -> offsets.add(event.get("offset").asLong()));
			return offsets;
		}

		static HubEvent event(String channel, long offset, Instant at) {
			return new HubEvent("task.statusChanged", channel, offset, "e1",
					HubJson.object().put("taskId", "t" + offset), at);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class OnPostgres extends Contract {

		static final PostgresFixture.Database DATABASE = PostgresFixture.newDatabase();

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
			HubTestProperties.postgres(DATABASE).forEach((key, value) -> registry.add(key, () -> value));
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class OnEmbeddedH2 extends Contract {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) throws Exception {
			Path data = Files.createTempDirectory("sync-position");
			registry.add("hub.database.data-dir", data::toString);
			registry.add("hub.auth.jwt-secret", () -> TestTokens.SECRET);
		}

	}

}
