package dev.agenthub.gateway.presence;

import java.time.Duration;
import java.util.List;
import java.util.Set;

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
 * tenants, an agent, a user of every workspace ({@code *}) and two admins (one with
 * {@code *}, one with no workspace). The people of every workspace are announced on
 * {@code broadcast}, to every connection, so every caller lists them too; the others only
 * those who share one of their workspaces.
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
				connect(TestTokens.admin("root")), connect(TestTokens.user("sam", "*")), connect(TestTokens
					.sign(TestTokens.SECRET, "ops", List.of("admin"), List.of(), null, Duration.ofHours(1))));
		// everyone online and every workspace known (the directory is filled apart from
		// the presence store)
		PresenceDirectory directory = gateway.getBean(PresenceDirectory.class);
		await().atMost(WAIT)
			.until(() -> users(TestTokens.admin("x")).size() == 7
					&& directory.workspacesOf(EVERYONE).block(WAIT).size() == EVERYONE.size());
	}

	static final Set<String> EVERYONE = Set.of("ann", "bob", "eve", "lou", "root", "sam", "ops");

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
		// and those of every workspace, who share each of them
		assertThat(users(TestTokens.user("eve", "evil"))).containsExactly("eve", "ops", "root", "sam");
		assertThat(users(TestTokens.user("ann", "acme"))).containsExactly("ann", "bob", "ops", "root", "sam");
		assertThat(users(TestTokens.user("lou", "lab"))).containsExactly("bob", "lou", "ops", "root", "sam");
		assertThat(users(TestTokens.user("stranger", "nowhere"))).containsExactly("ops", "root", "sam");
	}

	/**
	 * A user of every workspace is announced on {@code broadcast}, which every connection
	 * is on; the list used to show it to admins, services and other {@code *} users only.
	 * Others are still shown only where a workspace is shared.
	 */
	@Test
	void shouldShowEveryoneTheUsersOfEveryWorkspaceAndNobodyTheOthersOfAWorkspaceNotShared() {
		assertThat(users(TestTokens.user("ann", "acme"))).contains("sam");
		assertThat(users(TestTokens.user("lou", "lab"))).contains("sam").doesNotContain("ann", "eve");
		assertThat(users(TestTokens.user("eve", "evil"))).contains("sam").doesNotContain("ann", "bob", "lou");
		assertThat(users(TestTokens.agent("agent-evil", "evil"))).containsExactly("eve", "ops", "root", "sam");
		// a token of no workspace hears broadcast too
		assertThat(users(TestTokens.user("newbie"))).containsExactly("ops", "root", "sam");
		assertThat(users(TestTokens.user("sue", "*"))).containsExactlyElementsOf(new java.util.TreeSet<>(EVERYONE));
	}

	@Test
	void shouldShowAnAgentItsWorkspacesPeopleAndAdminsEveryone() {
		assertThat(users(TestTokens.agent("agent-acme", "acme"))).containsExactly("ann", "bob", "ops", "root", "sam");
		assertThat(users(TestTokens.admin("ada"))).containsExactly("ann", "bob", "eve", "lou", "ops", "root", "sam");
		assertThat(users(TestTokens.service("dashboard"))).hasSize(7);
	}

	@Test
	void shouldPageThroughTheVisiblePeople() {
		String admin = TestTokens.admin("ada");
		JsonNode first = get("/api/presence?limit=3", admin);
		assertThat(first.get("users").findValuesAsString("userId")).containsExactly("ann", "bob", "eve");
		assertThat(first.get("count").asInt()).isEqualTo(7);
		JsonNode second = get("/api/presence?limit=3&after=" + first.get("next").asString(), admin);
		assertThat(second.get("users").findValuesAsString("userId")).containsExactly("lou", "ops", "root");
		JsonNode last = get("/api/presence?limit=3&after=" + second.get("next").asString(), admin);
		assertThat(last.get("users").findValuesAsString("userId")).containsExactly("sam");
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
		assertThat(seen).hasSize(200)
			.allSatisfy((users) -> assertThat(users).containsExactly("eve", "ops", "root", "sam"));
		// one read per presence interval (1 s) at most, the requests took a few at most
		assertThat(reads.count() - before).isBetween(0L, 5L);
	}

	@Test
	void shouldCountOnlyTheConnectionsOfTheCallersWorkspaces() {
		// and those of the people of every workspace, as the list shows them
		JsonNode eve = get("/api/stats", TestTokens.user("eve", "evil"));
		assertThat(eve.get("clients").asLong()).isEqualTo(4);
		JsonNode ann = get("/api/stats", TestTokens.user("ann", "acme"));
		assertThat(ann.get("clients").asLong()).isEqualTo(5);
		JsonNode admin = get("/api/stats", TestTokens.admin("ada"));
		assertThat(admin.get("clients").asLong()).isEqualTo(7);
	}

	/**
	 * The subscriptions of a connection of other workspaces too (a user of {@code *}, or
	 * of a shared workspace and another) count only on the viewer's workspaces: before, a
	 * user of {@code [evil]} counted every subscription of the connections it sees, so it
	 * learnt how much of acme and lab a user of every workspace watched.
	 */
	@Test
	void shouldCountOnlyTheSubscriptionsOfTheCallersWorkspaces() {
		WsTestClient sam = connections.get(5);
		for (String channel : List.of("workspace:acme", "workspace:lab")) {
			sam.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
			sam.await((node) -> "subscribed".equals(node.path("type").asString())
					&& channel.equals(node.path("data").path("channel").asString()), WAIT);
		}
		// each user is on its workspaces' channels (server-side subscriptions); root, sam
		// and ops on none of their own
		await().atMost(WAIT).untilAsserted(() -> {
			// eve's workspace:evil only, none of sam's
			assertThat(get("/api/stats", TestTokens.user("eve", "evil")).get("subscriptions").asLong()).isEqualTo(1);
			// ann's and bob's workspace:acme, sam's workspace:acme (not bob's or sam's
			// lab)
			assertThat(get("/api/stats", TestTokens.user("ann", "acme")).get("subscriptions").asLong()).isEqualTo(3);
			// an agent of acme: the same
			assertThat(get("/api/stats", TestTokens.agent("agent-acme", "acme")).get("subscriptions").asLong())
				.isEqualTo(3);
			// everything: ann 1, bob 2, eve 1, lou 1, sam 2
			assertThat(get("/api/stats", TestTokens.admin("ada")).get("subscriptions").asLong()).isEqualTo(7);
		});
	}

}
