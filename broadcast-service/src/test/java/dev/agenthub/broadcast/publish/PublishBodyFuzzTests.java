package dev.agenthub.broadcast.publish;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agenthub.broadcast.BroadcastServiceApplication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.PostgresFixture;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 14: the publish API's HTTP JSON bodies, fuzzed against a real
 * broadcast-service (PostgreSQL, Redis): every body is published or answered with a 4xx
 * carrying {@code code} and {@code error}, never a 500.
 */
class PublishBodyFuzzTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static ConfigurableApplicationContext service;

	private static WebTestClient client;

	private static final String TOKEN = TestTokens.service("fuzzer");

	@BeforeContainer
	static void start() {
		PostgresFixture.Database database = PostgresFixture.newDatabase();
		service = new SpringApplicationBuilder(BroadcastServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.engine=redis", "--hub.redis.url=" + RedisFixture.url(),
					"--hub.broker.key-prefix=" + RedisFixture.uniquePrefix(),
					"--hub.postgres.url=" + database.r2dbcUrl().substring("r2dbc:".length()),
					"--hub.postgres.user=" + database.username(), "--hub.auth.jwt-secret=" + TestTokens.SECRET);
		client = TestHttp.client(Integer.parseInt(service.getEnvironment().getProperty("local.server.port")), WAIT);
	}

	@AfterContainer
	static void stop() {
		if (service != null) {
			service.close();
		}
	}

	@Property(tries = 300)
	void shouldPublishAnySingleBodyOrRefuseItClearly(@ForAll("events") String body) {
		assertClearAnswer("/api/publish", body);
	}

	@Property(tries = 200)
	void shouldPublishAnyBatchBodyOrRefuseItClearly(@ForAll("batches") String body) {
		assertClearAnswer("/api/publish/batch", body);
	}

	private static void assertClearAnswer(String path, String body) {
		EntityExchangeResult<byte[]> result = client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Authorization", "Bearer " + TOKEN)
			.bodyValue(body)
			.exchange()
			.expectBody()
			.returnResult();
		int status = result.getStatus().value();
		assertThat(status).as("answer to %s", body).isIn(200, 400, 413, 415);
		if (status != 200) {
			JsonNode error = HubJson.parse(result.getResponseBody());
			assertThat(error.path("code").asString()).as(body).isNotBlank();
			assertThat(error.path("error").asString()).as(body).isNotBlank();
		}
	}

	@Provide
	Arbitrary<String> events() {
		return Arbitraries.frequencyOf(Tuple.of(6, event().map(HubJson::write)), Tuple.of(2, corrupted(event())),
				Tuple.of(1, value(2).map(HubJson::write)));
	}

	@Provide
	Arbitrary<String> batches() {
		Arbitrary<Object> batch = Arbitraries.oneOf(event(), value(1))
			.list()
			.ofMaxSize(5)
			.map((events) -> (Object) Map.of("events", new ArrayList<>(events)));
		return Arbitraries.frequencyOf(Tuple.of(6, batch.map(HubJson::write)), Tuple.of(2, corrupted(batch)));
	}

	private static Arbitrary<Object> event() {
		Arbitrary<Object> channel = Arbitraries
			.oneOf(Arbitraries
				.of("workspace:w1", "task:t1", "broadcast", "user:u", "client:c", "agent:a", "repository:r", "nope", "",
						"workspace:", "workspace:a b", "x".repeat(400))
				.map((s) -> (Object) s), value(0));
		Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries
			.of("task:status", "task:output", "tab:output", "workspace:state", "tailscale:status", "custom.event", "",
					"a b", "x".repeat(300))
			.map((s) -> (Object) s), value(0));
		return Arbitraries.maps(Arbitraries.of("channel", "type", "data"), Arbitraries.oneOf(channel, type, value(2)))
			.ofMaxSize(3)
			.map((m) -> (Object) new LinkedHashMap<>(m));
	}

	private static Arbitrary<String> corrupted(Arbitrary<Object> values) {
		return values.map(HubJson::write)
			.flatMap((text) -> Arbitraries.integers()
				.between(0, text.length())
				.flatMap((at) -> Arbitraries.of("", "\"", "{", "]", ",", "\\", "\u0000")
					.map((c) -> text.substring(0, at) + c)));
	}

	private static Arbitrary<Object> value(int depth) {
		Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).map((s) -> (Object) s),
				Arbitraries.longs().map((l) -> (Object) l), Arbitraries.doubles().map((d) -> (Object) d),
				Arbitraries.bigIntegers()
					.between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25))
					.map((b) -> (Object) b),
				Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map((b) -> (Object) b), Arbitraries.just(null));
		if (depth == 0) {
			return leaf;
		}
		Arbitrary<Object> child = Arbitraries.lazy(() -> value(depth - 1));
		List<String> fields = List.of("taskId", "status", "exitCode", "output", "isError", "tabId", "data", "online",
				"hostname", "ip", "state", "workspaceId", "agentConnected");
		return Arbitraries.frequencyOf(Tuple.of(2, leaf),
				Tuple.of(1, child.list().ofMaxSize(3).map((l) -> (Object) new ArrayList<>(l))),
				Tuple.of(3, Arbitraries
					.maps(Arbitraries.oneOf(Arbitraries.of(fields), Arbitraries.strings().ofMaxLength(5)), child)
					.ofMaxSize(5)
					.map((m) -> (Object) new LinkedHashMap<>(m))));
	}

}
