package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.List;

import dev.agenthub.gateway.GatewayServiceApplication;
import dev.agenthub.gateway.metrics.GatewayMeters;
import dev.agenthub.testsupport.RedisFixture;
import dev.agenthub.testsupport.TestHttp;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 5 (HTTP): {@code GET /api/presence} and {@code /api/stats} no longer list
 * every tenant's people to any token. A real gateway on Redis, real connections of two
 * tenants, an agent and an admin.
 */
class PresenceIsolationIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static ConfigurableApplicationContext gateway;

	static List<WsTestClient> connections;

	@BeforeAll
	static void start() {
		gateway = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--hub.engine=redis", "--hub.redis.url=" + RedisFixture.url(),
					"--hub.broker.key-prefix=" + RedisFixture.uniquePrefix(),
					"--hub.auth.jwt-secret=" + TestTokens.SECRET);
		connections = List.of(connect(TestTokens.user("ann", "acme")), connect(TestTokens.user("bob", "acme", "lab")),
				connect(TestTokens.user("eve", "evil")), connect(TestTokens.user("lou", "lab")),
				connect(TestTokens.admin("root")));
		await().atMost(WAIT)
			.until(() -> users(TestTokens.user("ann", "acme")).size() == 2 && users(TestTokens.admin("x")).size() == 5);
	}

	@AfterAll
	static void stop() {
		connections.forEach(WsTestClient::close);
		gateway.close();
	}

	static WsTestClient connect(String token) {
		String port = gateway.getEnvironment().getProperty("local.server.port");
		return WsTestClient.authenticated("ws://localhost:" + port + "/ws?token=" + token);
	}

	static JsonNode get(String path, String token) {
		int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
		return TestHttp.getJson(port, WAIT, path, token);
	}

	static List<String> users(String token) {
		return get("/api/presence?limit=1000", token).get("users").findValuesAsString("userId");
	}

	@Test
	void shouldShowAUserOnlyThePeopleOfItsOwnWorkspaces() {
		assertThat(users(TestTokens.user("eve", "evil"))).containsExactly("eve");
		assertThat(users(TestTokens.user("ann", "acme"))).containsExactly("ann", "bob");
		assertThat(users(TestTokens.user("lou", "lab"))).containsExactly("bob", "lou");
		assertThat(users(TestTokens.user("stranger", "nowhere"))).isEmpty();
	}

	@Test
	void shouldShowAnAgentItsWorkspacesPeopleAndAdminsEveryone() {
		assertThat(users(TestTokens.agent("agent-acme", "acme"))).containsExactly("ann", "bob");
		assertThat(users(TestTokens.admin("ada"))).containsExactly("ann", "bob", "eve", "lou", "root");
		assertThat(users(TestTokens.service("dashboard"))).hasSize(5);
	}

	@Test
	void shouldPageThroughTheVisiblePeople() {
		String admin = TestTokens.admin("ada");
		JsonNode first = get("/api/presence?limit=2", admin);
		assertThat(first.get("users").findValuesAsString("userId")).containsExactly("ann", "bob");
		assertThat(first.get("count").asInt()).isEqualTo(5);
		JsonNode second = get("/api/presence?limit=2&after=" + first.get("next").asString(), admin);
		assertThat(second.get("users").findValuesAsString("userId")).containsExactly("eve", "lou");
		JsonNode last = get("/api/presence?limit=2&after=" + second.get("next").asString(), admin);
		assertThat(last.get("users").findValuesAsString("userId")).containsExactly("root");
		assertThat(last.get("next").isNull()).isTrue();
	}

	@Test
	void shouldReadEveryoneOnlineOnceForManyListingsAtOnce() {
		// An attacker with any token asks for the list over and over: each listing used
		// to
		// walk every online user's connections in one Redis script.
		Timer reads = gateway.getBean(MeterRegistry.class).get(GatewayMeters.PRESENCE_LISTINGS.meterName()).timer();
		long before = reads.count();
		List<List<String>> seen = Flux.range(0, 200)
			.flatMap((i) -> Mono.fromCallable(() -> users(TestTokens.user("eve", "evil")))
				.subscribeOn(Schedulers.boundedElastic()), 50)
			.collectList()
			.block(WAIT);
		assertThat(seen).hasSize(200).allSatisfy((users) -> assertThat(users).containsExactly("eve"));
		// one read per presence interval (1 s) at most, the requests took a few at most
		assertThat(reads.count() - before).isBetween(0L, 5L);
	}

	@Test
	void shouldCountOnlyTheConnectionsOfTheCallersWorkspaces() {
		JsonNode eve = get("/api/stats", TestTokens.user("eve", "evil"));
		assertThat(eve.get("clients").asLong()).isEqualTo(1);
		JsonNode ann = get("/api/stats", TestTokens.user("ann", "acme"));
		assertThat(ann.get("clients").asLong()).isEqualTo(2);
		JsonNode admin = get("/api/stats", TestTokens.admin("ada"));
		assertThat(admin.get("clients").asLong()).isEqualTo(5);
	}

}
