package dev.agenthub.gateway.security;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.session.ClientIdClaims;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
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
 * Attacks by a tenant holding a valid token of its own on another tenant's connection:
 * each performs the attack against a real gateway and asserts the refusal.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "hub.gateway.presence-interval=1s",
		"hub.gateway.presence-grace=2s", "hub.gateway.client-ids-per-user=5" })
class TenantIsolationIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Autowired
	ClientIdClaims claims;

	WsTestClient connect(String token, String clientId) {
		return WsTestClient.connect("ws://localhost:" + this.port + "/ws?subscribe=none&token=" + token,
				Map.of("x-client-id", clientId));
	}

	@Test
	void anotherUsersClientIdNeitherDisplacesNorReachesItsOwner() {
		try (WsTestClient owner = connect(TestTokens.user("ti-alice", "ti-a"), "ti-shared-id")) {
			assertThat(owner.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("ti-shared-id");
			try (WsTestClient attacker = connect(TestTokens.user("ti-mallory", "ti-m"), "ti-shared-id")) {
				JsonNode auth = attacker.awaitType("auth").path("data");
				assertThat(auth.path("success").asBoolean()).isTrue();
				assertThat(auth.path("clientId").asString()).isNotEqualTo("ti-shared-id");
				attacker.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"client:ti-shared-id\"}}");
				JsonNode refused = attacker.await((m) -> m.path("id").asInt() == 1, WAIT);
				assertThat(refused.path("data").path("code").asString()).isEqualTo("forbidden");
				this.broker
					.publish("client:ti-shared-id", "notification",
							HubJson.parse("{\"title\":\"t\",\"body\":\"for alice\"}"))
					.block(WAIT);
				assertThat(owner.awaitType("notification").path("channel").asString()).isEqualTo("client:ti-shared-id");
				assertThat(attacker.received()).noneMatch((m) -> "notification".equals(m.path("type").asString()));
			}
			assertThat(owner.isClosed()).isFalse();
		}
	}

	@Test
	void aClientIdThatCannotNameAChannelGetsAFreshIdAndClaimsNothing() {
		// ':' would leave the client: namespace, braces pick a Redis Cluster slot
		for (String odd : new String[] { "{ti-slot}:x", "ti:user:bob", "ti tab" }) {
			try (WsTestClient client = WsTestClient.connect(
					"ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("ti-erin", "ti-e"),
					Map.of("x-client-id", odd))) {
				JsonNode auth = client.awaitType("auth").path("data");
				assertThat(auth.path("success").asBoolean()).as(odd).isTrue();
				assertThat(auth.path("clientId").asString()).as(odd).isNotEqualTo(odd).isNotBlank();
				// the connection works, on its fresh id
				client.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"workspace:ti-e\"}}");
				assertThat(client.await((m) -> m.path("id").asInt() == 1, WAIT).path("type").asString()).as(odd)
					.isEqualTo("subscribed");
			}
			// nothing was claimed for it: anyone else could still claim it
			assertThat(this.claims.claim(odd, "ti-someone-else", Duration.ofSeconds(5)).block(WAIT)).as(odd).isTrue();
		}
	}

	/**
	 * One user connecting again and again with made-up client ids, each claimed in the
	 * engine for a day: past its quota (5 here) its connections work on fresh ids and
	 * claim nothing, while the ids it holds stay its own.
	 */
	@Test
	void aUserConnectingWithMadeUpClientIdsClaimsNoMoreThanItsQuota() {
		String token = TestTokens.user("ti-flooder", "ti-f");
		for (int i = 1; i <= 5; i++) {
			try (WsTestClient client = connect(token, "ti-made-up-" + i)) {
				assertThat(client.awaitType("auth").path("data").path("clientId").asString())
					.isEqualTo("ti-made-up-" + i);
			}
		}
		for (int i = 6; i <= 8; i++) {
			try (WsTestClient client = connect(token, "ti-made-up-" + i)) {
				JsonNode auth = client.awaitType("auth").path("data");
				assertThat(auth.path("success").asBoolean()).isTrue();
				assertThat(auth.path("clientId").asString()).as("past the quota").isNotEqualTo("ti-made-up-" + i);
			}
			assertThat(this.claims.claim("ti-made-up-" + i, "ti-bystander-" + i, Duration.ofSeconds(5)).block(WAIT))
				.as("nothing claimed for it")
				.isTrue();
		}
		try (WsTestClient back = connect(token, "ti-made-up-1")) {
			assertThat(back.awaitType("auth").path("data").path("clientId").asString()).as("a held id")
				.isEqualTo("ti-made-up-1");
		}
		try (WsTestClient other = connect(TestTokens.user("ti-gina", "ti-g"), "ti-gina-tab")) {
			assertThat(other.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("ti-gina-tab");
		}
	}

	@Test
	void aClientIdStaysItsOwnersWhileTheOwnerIsOffline() {
		try (WsTestClient owner = connect(TestTokens.user("ti-dora", "ti-d"), "ti-dora-tab")) {
			assertThat(owner.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("ti-dora-tab");
		}
		// the owner is gone: its client channel keeps events for its return
		this.broker.publish("client:ti-dora-tab", "notification", HubJson.parse("{\"title\":\"for dora\"}"))
			.block(WAIT);
		try (WsTestClient attacker = connect(TestTokens.user("ti-mallory", "ti-m"), "ti-dora-tab")) {
			assertThat(attacker.awaitType("auth").path("data").path("clientId").asString()).isNotEqualTo("ti-dora-tab");
			attacker.send("{\"type\":\"subscribe\",\"id\":1,\"data\":{\"channel\":\"client:ti-dora-tab\"}}");
			JsonNode refused = attacker.await((m) -> m.path("id").asInt() == 1, WAIT);
			assertThat(refused.path("data").path("code").asString()).isEqualTo("forbidden");
			assertThat(attacker.received()).noneMatch((m) -> "notification".equals(m.path("type").asString()));
		}
		try (WsTestClient back = connect(TestTokens.user("ti-dora", "ti-d"), "ti-dora-tab")) {
			assertThat(back.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("ti-dora-tab");
		}
	}

	@Test
	void aUsersOwnSecondConnectionWithTheSameClientIdReplacesTheFirst() {
		try (WsTestClient first = connect(TestTokens.user("ti-bob", "ti-b"), "ti-bob-tab")) {
			first.awaitType("auth");
			try (WsTestClient second = connect(TestTokens.user("ti-bob", "ti-b"), "ti-bob-tab")) {
				assertThat(second.awaitType("auth").path("data").path("clientId").asString()).isEqualTo("ti-bob-tab");
				assertThat(first.awaitClose(WAIT)).isEqualTo(4009);
			}
		}
	}

	@Test
	void anotherUsersSocketIoResumeIdStartsAFreshSessionAndSpoilsNothing() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		SocketIoTestClient owner = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", TestTokens.user("ti-carol", "ti-c")).put("subscribe", false), 65536);
		JsonNode connected = owner.connectReply();
		String pid = connected.path("data").path("pid").asString();
		assertThat(pid).isNotBlank();
		int subscribe = owner.emitWithAck("subscribe", HubJson.object().put("channel", "workspace:ti-c"));
		JsonNode ack = owner.next(WAIT);
		while (ack.path("ack").asInt(-1) != subscribe) {
			ack = owner.next(WAIT);
		}
		// once an event reached it, its subscriptions stand: a transport close keeps a
		// resume record, and the event's offset (its last argument) is where it resumes
		this.broker.publish("workspace:ti-c", "notification", HubJson.parse("{\"title\":\"for carol\"}")).block(WAIT);
		JsonNode event = owner.next(WAIT);
		while (!"notification".equals(event.path("type").asString())) {
			event = owner.next(WAIT);
		}
		String offset = event.path("args").get(event.path("args").size() - 1).asString();
		owner.close();
		// (saved as the gateway sees the socket end: give it the moment that takes)
		Thread.sleep(500);
		JsonNode stolen = resume(base, TestTokens.user("ti-mallory", "ti-m"), pid, offset);
		assertThat(stolen.path("type").asString()).isEqualTo("connect");
		assertThat(stolen.path("data").path("pid").asString()).isNotEqualTo(pid);
		// nor did the attempt spoil the owner's recovery
		JsonNode back = resume(base, TestTokens.user("ti-carol", "ti-c"), pid, offset);
		assertThat(back.path("type").asString()).isEqualTo("connect");
		assertThat(back.path("data").path("pid").asString()).as("recovered").isEqualTo(pid);
		// a pid that cannot be the hub's is not looked up at all
		assertThat(
				resume(base, TestTokens.user("ti-mallory", "ti-m"), "x".repeat(10_000), offset).path("type").asString())
			.isEqualTo("connect");
	}

	@Test
	void aPresenceFloodReachesOthersAtMostOnceASecond() throws InterruptedException {
		try (WsTestClient observer = WsTestClient
			.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("ti-olga", "ti-p"));
				WsTestClient flooder = WsTestClient
					.authenticated("ws://localhost:" + this.port + "/ws?token=" + TestTokens.user("ti-fred", "ti-p"))) {
			observer.await((m) -> "user_presence".equals(m.path("type").asString())
					&& "ti-fred".equals(m.path("data").path("userId").asString()), WAIT);
			long start = System.nanoTime();
			for (int i = 0; i < 80; i++) {
				flooder.send("{\"type\":\"user_presence\",\"data\":\"" + ((i % 2 == 0) ? "away" : "busy") + "\"}");
				Thread.sleep(25);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			Thread.sleep(1500);
			long seen = observer.received()
				.stream()
				.filter((m) -> "user_presence".equals(m.path("type").asString())
						&& "ti-fred".equals(m.path("data").path("userId").asString()))
				.count();
			// 80 changes in ~2 s: one online, then at most one a second (and the last).
			assertThat(seen).isLessThanOrEqualTo(2 + (long) Math.ceil(seconds) + 1);
			JsonNode last = observer.received()
				.stream()
				.filter((m) -> "ti-fred".equals(m.path("data").path("userId").asString()))
				.reduce((a, b) -> b)
				.orElseThrow();
			assertThat(last.path("data").path("status").asString()).isEqualTo("busy");
		}
	}

	/** The CONNECT reply of a Socket.IO client asking to recover {@code pid}. */
	/**
	 * A Socket.IO socket recovered with a token whose workspaces changed (a user moved
	 * from one workspace to another while its tab slept): the channel of the workspace it
	 * lost is not recovered and it is told ({@code unsubscribed}, forbidden), the one it
	 * gained is joined (seed 000's browsers never subscribe themselves). Before, the lost
	 * one went silently and the new one never came.
	 */
	@Test
	void aRecoveredSocketFollowsItsTokensWorkspaces() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		SocketIoTestClient owner = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", TestTokens.user("ti-rena", "ti-r1")), 65536);
		String pid = owner.connectReply().path("data").path("pid").asString();
		awaitEvent(owner, "subscribed");
		this.broker.publish("workspace:ti-r1", "notification", HubJson.parse("{\"title\":\"r1\"}")).block(WAIT);
		JsonNode event = awaitEvent(owner, "notification");
		String offset = event.path("args").get(event.path("args").size() - 1).asString();
		owner.close();
		Thread.sleep(500);
		try (SocketIoTestClient back = SocketIoTestClient.connect(base, "/",
				HubJson.object()
					.put("token", TestTokens.user("ti-rena", "ti-r2"))
					.put("pid", pid)
					.put("offset", offset),
				65536)) {
			assertThat(back.connectReply().path("data").path("pid").asString()).as("recovered").isEqualTo(pid);
			JsonNode gone = awaitEvent(back, "unsubscribed");
			assertThat(gone.path("data").path("channel").asString()).isEqualTo("workspace:ti-r1");
			assertThat(gone.path("data").path("reason").asString()).isEqualTo("forbidden");
			assertThat(awaitEvent(back, "subscribed").path("data").path("channel").asString())
				.isEqualTo("workspace:ti-r2");
			this.broker.publish("workspace:ti-r2", "notification", HubJson.parse("{\"title\":\"r2\"}")).block(WAIT);
			assertThat(awaitEvent(back, "notification").path("data").path("title").asString()).isEqualTo("r2");
		}
	}

	private static JsonNode awaitEvent(SocketIoTestClient client, String type) {
		JsonNode event = client.next(WAIT);
		while (!type.equals(event.path("type").asString())) {
			event = client.next(WAIT);
		}
		return event;
	}

	private static JsonNode resume(String base, String token, String pid, String offset) {
		try (SocketIoTestClient client = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", token).put("pid", pid).put("offset", offset), 65536)) {
			return client.connectReply();
		}
	}

}
