package dev.agenthub.gateway.connection;

import java.time.Duration;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.contracts.error.CloseCode;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.Connection;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket.IO recovery at its edges: a socket's resume record holds exactly what its client
 * was sent — not events dropped while the server closed the socket, nor a replay's events
 * it never sent — and still knows where a client stands that drops again before its next
 * event. A client told it recovered gets everything it missed, without a gap.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.max-outbound-bytes=65536", "hub.broker.history-size=2000",
				"hub.broker.history-bytes=64MB" })
@DirtiesContext
class SocketIoRecoveryEdgesIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	/**
	 * Events missed before a replay the server cuts short: 4.5 MB, beyond socket buffers.
	 */
	static final int MISSED = 500;

	static final String PAYLOAD = "x".repeat(9000);

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

	/**
	 * An event published while the server closes the socket (drain) is dropped, not sent:
	 * the record must not count it.
	 */
	@Test
	void shouldReplayAnEventPublishedWhileTheServerClosedTheSocket() throws InterruptedException {
		String token = TestTokens.user("close-a", "ca");
		Seen seen = firstEvent(token, "workspace:ca");
		try (SocketIoTestClient first = resume(token, seen, 65536)) {
			awaitEvent(first, "subscribed");
			Connection connection = onlyConnection();
			connection.close(CloseCode.GOING_AWAY, "test");
			this.broker.publish("workspace:ca", "notification", HubJson.object().put("title", "during close"))
				.block(WAIT);
			first.awaitClose(WAIT);
		}
		awaitSaved();
		try (SocketIoTestClient resumed = resume(token, seen, 65536)) {
			assertThat(resumed.connectReply().path("data").path("pid").asString()).as("recovered").isEqualTo(seen.pid);
			JsonNode missed = awaitEvent(resumed, "notification");
			assertThat(missed.path("data").path("title").asString()).isEqualTo("during close");
		}
	}

	/**
	 * A recovered socket that drops before any new event resumes from the same offset.
	 */
	@Test
	void shouldRecoverASecondDropThatCameBeforeAnyNewEvent() throws InterruptedException {
		String token = TestTokens.user("drop-a", "da");
		Seen seen = firstEvent(token, "workspace:da");
		try (SocketIoTestClient second = resume(token, seen, 65536)) {
			assertThat(second.connectReply().path("data").path("pid").asString()).as("recovered").isEqualTo(seen.pid);
			awaitEvent(second, "subscribed");
		}
		awaitSaved();
		this.broker.publish("workspace:da", "notification", HubJson.object().put("title", "missed")).block(WAIT);
		try (SocketIoTestClient third = resume(token, seen, 65536)) {
			assertThat(third.connectReply().path("data").path("pid").asString()).as("recovered again")
				.isEqualTo(seen.pid);
			JsonNode missed = awaitEvent(third, "notification");
			assertThat(missed.path("data").path("title").asString()).isEqualTo("missed");
		}
	}

	/**
	 * A recovered socket the server closes while its replay still waits for the client:
	 * what was not replayed was never sent, so the next resume either replays from the
	 * first event missed or says it did not recover.
	 */
	@Test
	void shouldNotCountEventsAReplayNeverSentAsRecovered() throws InterruptedException {
		String token = TestTokens.user("replay-a", "rpa");
		Seen seen = firstEvent(token, "workspace:rpa");
		for (int i = 0; i < MISSED; i++) {
			this.broker.publish("workspace:rpa", "notification", HubJson.object().put("title", PAYLOAD)).block(WAIT);
		}
		// resumes, reads nothing: its replay waits for room
		try (SocketIoTestClient stalled = resume(token, seen, 4096)) {
			await().atMost(WAIT)
				.until(() -> this.core.connections()
					.stream()
					.anyMatch((connection) -> connection.transport().queuedBytes() > 0));
			onlyConnection().close(CloseCode.GOING_AWAY, "test");
			// (it reads what was queued, so the engine can end its session)
			stalled.awaitClose(WAIT);
		}
		awaitSaved();
		long first = Long.parseLong(seen.offset.substring(seen.offset.lastIndexOf('@') + 1)) + 1;
		try (SocketIoTestClient resumed = resume(token, seen, 65536)) {
			JsonNode reply = resumed.connectReply();
			if (seen.pid.equals(reply.path("data").path("pid").asString())) {
				// recovered: then from the first event the client missed, no gap
				JsonNode next = awaitEvent(resumed, "notification");
				assertThat(lastArgument(next)).isEqualTo("workspace:rpa@" + first);
			}
		}
	}

	/** A socket's pid and the offset of the one event it got on {@code channel}. */
	private record Seen(String pid, String offset) {
	}

	private Seen firstEvent(String token, String channel) throws InterruptedException {
		try (SocketIoTestClient first = SocketIoTestClient.connect(base(), "/", HubJson.object().put("token", token),
				65536)) {
			String pid = first.connectReply().path("data").path("pid").asString();
			awaitEvent(first, "subscribed");
			this.broker.publish(channel, "notification", HubJson.object().put("title", "first")).block(WAIT);
			Seen seen = new Seen(pid, lastArgument(awaitEvent(first, "notification")));
			first.close();
			awaitSaved();
			return seen;
		}
	}

	private SocketIoTestClient resume(String token, Seen seen, int receiveBuffer) {
		return SocketIoTestClient.connect(base(), "/",
				HubJson.object().put("token", token).put("pid", seen.pid).put("offset", seen.offset), receiveBuffer);
	}

	private Connection onlyConnection() {
		await().atMost(WAIT).until(() -> this.core.connections().size() == 1);
		return this.core.connections().iterator().next();
	}

	/** Until the gateway saw every socket end (and saved its record as it did). */
	private void awaitSaved() throws InterruptedException {
		await().atMost(WAIT).until(() -> this.core.connections().isEmpty());
		Thread.sleep(300);
	}

	private String base() {
		return "ws://127.0.0.1:" + this.port;
	}

	private static JsonNode awaitEvent(SocketIoTestClient client, String type) {
		JsonNode packet = client.next(WAIT);
		while (packet != null && !type.equals(packet.path("type").asString())) {
			packet = client.next(WAIT);
		}
		assertThat(packet).as("a %s event", type).isNotNull();
		return packet;
	}

	private static String lastArgument(JsonNode event) {
		return event.path("args").get(event.path("args").size() - 1).asString();
	}

}
