package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agenthub.broker.Broker;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.SocketIoTestClient;
import dev.agenthub.testsupport.TestTokens;
import dev.agenthub.testsupport.WsTestClient;
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
 * The attack on admission control: Socket.IO clients that resume a session with much to
 * catch up on and then read nothing. Their recovery is replayed as fast as they read; it
 * is part of their open, and before, each such open held one of the node's places among
 * the opens under way (and counted as a slow open) until the replay gave up on it — a few
 * of them made the node refuse everyone with 503. The node's part of an open now ends
 * where the replay starts waiting for the client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "hub.gateway.max-opening=2", "hub.gateway.max-outbound-bytes=65536",
				"hub.gateway.idle-timeout=30s", "hub.broker.history-size=6000", "hub.broker.history-bytes=64MB" })
@DirtiesContext
class RecoveringAdmissionIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(15);

	/** Events missed by each stalled client: 4.5 MB, beyond what socket buffers take. */
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

	@Test
	void clientsThatResumeAndReadNothingDoNotHoldTheNodesPlacesAmongOpens() throws InterruptedException {
		String base = "ws://127.0.0.1:" + this.port;
		List<SocketIoTestClient> stalled = new ArrayList<>();
		try {
			// as many as the node opens at once (2 here)
			for (String user : List.of("ra", "rb")) {
				String[] resumeAt = leaveWithAResumeRecord(base, user);
				for (int i = 0; i < MISSED; i++) {
					this.broker.publish("workspace:" + user, "notification", HubJson.object().put("title", PAYLOAD))
						.block(WAIT);
				}
				// resumes, with a small receive buffer, and reads nothing
				stalled.add(SocketIoTestClient.connect(base, "/",
						HubJson.object()
							.put("token", TestTokens.user("rec-" + user, user))
							.put("pid", resumeAt[0])
							.put("offset", resumeAt[1]),
						4096));
			}
			// both are replaying, each waiting for its client to read
			await().atMost(WAIT)
				.until(() -> this.core.connections()
					.stream()
					.filter((connection) -> connection.transport().queuedBytes() > 0)
					.count() == 2);
			assertThat(this.core.admits()).as("the node takes new connections").isTrue();
			try (WsTestClient other = WsTestClient.authenticated(
					"ws://127.0.0.1:" + this.port + "/ws?subscribe=none&token=" + TestTokens.user("rec-other", "rc"))) {
				other.send("{\"type\":\"ping\",\"id\":1}");
				assertThat(other.await((m) -> m.path("id").asInt() == 1, WAIT).path("type").asString())
					.isEqualTo("pong");
			}
		}
		finally {
			stalled.forEach(SocketIoTestClient::close);
		}
	}

	/**
	 * Connects, subscribes to the user's workspace, takes one event and drops the
	 * transport: the gateway keeps a resume record. Returns its pid and offset.
	 */
	private String[] leaveWithAResumeRecord(String base, String user) throws InterruptedException {
		SocketIoTestClient owner = SocketIoTestClient.connect(base, "/",
				HubJson.object().put("token", TestTokens.user("rec-" + user, user)).put("subscribe", false), 65536);
		String pid = owner.connectReply().path("data").path("pid").asString();
		int subscribe = owner.emitWithAck("subscribe", HubJson.object().put("channel", "workspace:" + user));
		JsonNode packet = owner.next(WAIT);
		while (packet.path("ack").asInt(-1) != subscribe) {
			packet = owner.next(WAIT);
		}
		this.broker.publish("workspace:" + user, "notification", HubJson.object().put("title", "first")).block(WAIT);
		packet = owner.next(WAIT);
		while (!"notification".equals(packet.path("type").asString())) {
			packet = owner.next(WAIT);
		}
		String offset = packet.path("args").get(packet.path("args").size() - 1).asString();
		owner.close();
		// (saved as the gateway sees the socket end)
		Thread.sleep(500);
		return new String[] { pid, offset };
	}

}
