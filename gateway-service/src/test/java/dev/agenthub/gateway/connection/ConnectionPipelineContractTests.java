package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.metrics.GatewayMeters;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.RawSocketClient;
import io.micrometer.core.instrument.MeterRegistry;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection core's pipeline, held to one behaviour on every transport: each subclass
 * drives the gateway over one of them with a client that can also misbehave (flood, send
 * too much, stop reading). Small limits make the bounds reachable.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.max-frame-bytes=4096", "hub.gateway.rate-per-second=20",
				"hub.gateway.rate-burst=40", "hub.gateway.max-outbound-bytes=65536", "hub.gateway.ping-interval=2s",
				"hub.gateway.idle-timeout=10s", "hub.broker.history-size=6000", "hub.broker.history-bytes=64MB" })
abstract class ConnectionPipelineContractTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	static final String PAYLOAD = "x".repeat(900);

	/**
	 * Events replayed: within the engine's window (6,000 here) and, at 4.5 MB, over the
	 * outbound bound and what the kernel's socket buffers take on the way.
	 */
	static final int REPLAYED = 5000;

	/** Events replayed to a client that reads: ten times the outbound bound (720 KB). */
	static final int REPLAYED_TO_READER = 800;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	Broker broker;

	@Autowired
	ConnectionServer<GatewaySession> core;

	@Autowired
	MeterRegistry meters;

	/** A client of the transport under test, authenticated with {@code token}. */
	abstract TestClient connect(String token, int receiveBuffer);

	/** What a client of this transport sees when the server closes with {@code code}. */
	abstract int closeSeenFor(int code);

	/**
	 * Opens a connection with {@code token} and drops it at once, while the node still
	 * opens it (verifies the token, registers the session, joins its channels).
	 */
	abstract void connectAndDrop(String token);

	TestClient connect(String token) {
		return connect(token, 256 * 1024);
	}

	Publication publish(String channel, String text) {
		ObjectNode data = HubJson.object().put("tabId", "t1").put("data", text);
		return this.broker.publish(channel, "tab:output", data).block(WAIT);
	}

	@Test
	void shouldForgetConnectionsThatEndWhileTheyOpen() {
		for (int i = 0; i < 60; i++) {
			connectAndDrop(TestTokens.user("pipe-drop-" + i, "pdrop" + i));
		}
		// none stays registered: not in the core, not as a session of the gateway
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.core.connections()).isEmpty();
			assertThat(this.meters.get(GatewayMeters.CONNECTIONS.meterName())
				.tag(GatewayMeters.TAG_AUTHENTICATED, "true")
				.gauge()
				.value()).isZero();
		});
	}

	@Test
	void shouldAnswerAnUnknownMessageWithBadRequestAndKeepTheConnection() {
		try (TestClient client = connect(TestTokens.user("pipe-a", "pa"))) {
			client.send("no-such-type", HubJson.object(), 1);
			JsonNode error = client.awaitReply(1, WAIT);
			assertThat(error.path("code").asString()).isEqualTo("bad_request");
			assertThat(error.path("error").asString()).contains("no-such-type");
			client.send("ping", HubJson.object(), 2);
			assertThat(client.awaitReply(2, WAIT)).isNotNull();
		}
	}

	@Test
	void shouldRefuseAForbiddenSubscriptionAndKeepTheConnection() {
		try (TestClient client = connect(TestTokens.user("pipe-b", "pb"))) {
			client.send("subscribe", HubJson.object().put("channel", "workspace:someone-else"), 1);
			assertThat(client.awaitReply(1, WAIT).path("code").asString()).isEqualTo("forbidden");
			client.send("subscribe", HubJson.object().put("channel", "workspace:pb"), 2);
			assertThat(client.awaitReply(2, WAIT).path("channel").asString()).isEqualTo("workspace:pb");
		}
	}

	@Test
	void shouldHandleTheMessagesOfOneConnectionInOrder() {
		try (TestClient client = connect(TestTokens.user("pipe-c", "pc"))) {
			List<Integer> answered = new ArrayList<>();
			for (int id = 1; id <= 30; id++) {
				client.send((id % 2 == 0) ? "subscribe" : "ping",
						(id % 2 == 0) ? HubJson.object().put("channel", "workspace:pc") : HubJson.object(), id);
			}
			while (answered.size() < 30) {
				answered.add(client.nextReplyId(WAIT));
			}
			assertThat(answered).isSorted().hasSize(30).doesNotHaveDuplicates();
		}
	}

	@Test
	void shouldCloseAFrameOverTheLimitWith1009AfterAnError() {
		try (TestClient client = connect(TestTokens.user("pipe-big", "pbig"))) {
			client.send("ping", HubJson.object().put("pad", "y".repeat(5000)), 1);
			JsonNode error = client.awaitError(WAIT);
			assertThat(error.path("code").asString()).isEqualTo("too_large");
			assertThat(error.path("error").asString()).contains("4096");
			assertThat(client.awaitClose(WAIT)).isEqualTo(closeSeenFor(1009));
		}
	}

	@Test
	void shouldCloseAFlooderAfterSayingWhy() {
		try (TestClient client = connect(TestTokens.user("pipe-d", "pd"))) {
			for (int i = 0; i < 200; i++) {
				try {
					client.send("ping", HubJson.object(), null);
				}
				catch (IllegalStateException closed) {
					break; // the server closed the flooder while it was still sending
				}
			}
			JsonNode error = client.awaitError(WAIT);
			assertThat(error.path("code").asString()).isEqualTo("rate_limited");
			assertThat(client.awaitClose(WAIT)).isEqualTo(closeSeenFor(4008));
		}
	}

	double slowReaderCloses() {
		return this.meters.counter(GatewayMeters.CLOSES.meterName(), GatewayMeters.TAG_REASON, "slow_reader").count();
	}

	/**
	 * Whether the server closed a client that read nothing as a slow reader: its close
	 * frame may be stuck behind the frames the client never read, so the connection may
	 * also just end.
	 */
	void assertClosedAsSlowReader(TestClient client, double before) {
		int seen = client.awaitClose(WAIT);
		assertThat(seen).isIn(closeSeenFor(4010), RawSocketClient.ENDED_WITHOUT_CLOSE);
		assertThat(slowReaderCloses()).isGreaterThan(before);
	}

	@Test
	void shouldCloseAReaderThatFallsBehindOnLiveEvents() {
		double before = slowReaderCloses();
		try (TestClient client = connect(TestTokens.user("pipe-e", "pe"), 4096)) {
			client.send("subscribe", HubJson.object().put("channel", "workspace:pe"), 1);
			client.awaitReply(1, WAIT);
			// The client reads nothing from here; the server's queue for it fills.
			// Past the outbound bound and what the kernel's socket buffers take (a few MB
			// on loopback); bounded in count and time.
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			for (int i = 0; i < 20_000 && slowReaderCloses() == before && System.nanoTime() < deadline; i++) {
				publish("workspace:pe", PAYLOAD);
			}
			assertClosedAsSlowReader(client, before);
		}
	}

	@Test
	void shouldCountReplayedEventsAgainstTheSameBound() {
		Publication first = publish("workspace:pf", PAYLOAD);
		for (int i = 0; i < REPLAYED; i++) {
			publish("workspace:pf", PAYLOAD);
		}
		double before = slowReaderCloses();
		try (TestClient client = connect(TestTokens.user("pipe-f", "pf"), 4096)) {
			// Asks for 5,000 events (4.5 MB, over the 64 KiB bound) and reads nothing for
			// longer than a replay may stall (half the 10 s idle timeout).
			client.send("subscribe", HubJson.object()
				.put("channel", "workspace:pf")
				.set("since", HubJson.object().put("epoch", first.event().epoch()).put("offset", first.offset())), 1);
			await().atMost(Duration.ofSeconds(9)).until(() -> slowReaderCloses() > before);
			assertClosedAsSlowReader(client, before);
		}
	}

	@Test
	void shouldReplayMoreThanTheBoundToAClientThatReads() {
		Publication first = publish("workspace:pg", PAYLOAD);
		for (int i = 0; i < REPLAYED_TO_READER; i++) {
			publish("workspace:pg", PAYLOAD);
		}
		try (TestClient client = connect(TestTokens.user("pipe-g", "pg"))) {
			client.send("subscribe", HubJson.object()
				.put("channel", "workspace:pg")
				.set("since", HubJson.object().put("epoch", first.event().epoch()).put("offset", first.offset())), 1);
			assertThat(client.awaitReply(1, WAIT).path("recovered").asBoolean()).isTrue();
			long expected = first.offset() + 1;
			for (int i = 0; i < REPLAYED_TO_READER; i++) {
				JsonNode event = client.awaitEvent("tab:output", WAIT);
				assertThat(event.path("offset").asLong()).isEqualTo(expected++);
			}
		}
	}

	@Test
	void shouldCloseAConnectionWhoseTokenExpiresUnlessItRefreshesInBand() {
		String expiringToken = TestTokens.sign(TestTokens.SECRET, "pipe-x", List.of("user"), List.of("px"), null,
				Duration.ofSeconds(3));
		String refreshingToken = TestTokens.sign(TestTokens.SECRET, "pipe-y", List.of("user"), List.of("px"), null,
				Duration.ofSeconds(3));
		try (TestClient expiring = connect(expiringToken); TestClient refreshing = connect(refreshingToken)) {
			// A refresh for someone else is refused; the connection stays.
			refreshing.send("auth", HubJson.object().put("token", TestTokens.user("pipe-z", "px")), 1);
			assertThat(refreshing.awaitReply(1, WAIT).path("code").asString()).isEqualTo("forbidden");
			refreshing.send("auth", HubJson.object().put("token", TestTokens.user("pipe-y", "px")), 2);
			assertThat(refreshing.awaitReply(2, WAIT).path("success").asBoolean()).isTrue();
			JsonNode expired = expiring.awaitError(WAIT);
			assertThat(expired.path("code").asString()).isEqualTo("token_expired");
			assertThat(expiring.awaitClose(WAIT)).isEqualTo(closeSeenFor(4001));
			// Past the first token's expiry, the refreshed connection is served.
			refreshing.send("ping", HubJson.object(), 3);
			assertThat(refreshing.awaitReply(3, WAIT)).isNotNull();
		}
	}

	/** A test client of one transport. */
	interface TestClient extends AutoCloseable {

		/** Sends a message (with an id to get a reply through, or {@code null}). */
		void send(String type, JsonNode data, Integer id);

		/** The reply to request {@code id} (its {@code data}). */
		JsonNode awaitReply(int id, Duration timeout);

		/** The id of the next reply, whatever it is. */
		int nextReplyId(Duration timeout);

		/** The next {@code error} not tied to a request (its {@code data}). */
		JsonNode awaitError(Duration timeout);

		/** The next event of a type, as {@code {offset, data}}. */
		JsonNode awaitEvent(String type, Duration timeout);

		/** Reads until the server closes; the close code seen. */
		int awaitClose(Duration timeout);

		@Override
		void close();

	}

}
