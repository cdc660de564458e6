package dev.agenthub.gateway.connection;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.gateway.session.GatewaySession;
import dev.agenthub.support.connection.ConnectionServer;
import dev.agenthub.testsupport.HubTestProperties;
import dev.agenthub.testsupport.RawSocketClient;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Graceful drain, on both transports at once: every open connection is closed with 1001
 * (Socket.IO: its Engine.IO session ends), and new ones are refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DrainIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		HubTestProperties.redisEngine().forEach((key, value) -> registry.add(key, () -> value));
	}

	@LocalServerPort
	int port;

	@Autowired
	ConnectionServer<GatewaySession> core;

	@Test
	void shouldCloseEveryConnectionWithGoingAwayAndRefuseNewOnes() {
		String token = TestTokens.user("drain-a", "dr");
		try (RawSocketClient raw = RawSocketClient.connect("ws://127.0.0.1:" + this.port + "/ws?token=" + token,
				Map.of(), 65536);
				SocketIoTestClient sio = SocketIoTestClient.connect("ws://127.0.0.1:" + this.port, "/",
						HubJson.object().put("token", token), 65536)) {
			assertThat(HubJson.parse(raw.nextText(WAIT)).path("type").asString()).isEqualTo("auth");
			assertThat(sio.connectReply().path("type").asString()).isEqualTo("connect");
			// the CONNECT reply goes out before the socket's listener registers it with
			// the core: drain once both connections are the core's
			await().atMost(WAIT).until(() -> this.core.connections().size() == 2);
			this.core.drain();
			assertThat(raw.awaitClose(WAIT)).isEqualTo(1001);
			assertThat(sio.awaitClose(WAIT)).isIn(1005, RawSocketClient.ENDED_WITHOUT_CLOSE);
			assertThatIllegalStateException()
				.isThrownBy(() -> RawSocketClient.connect("ws://127.0.0.1:" + this.port + "/ws?token=" + token,
						Map.of(), 65536))
				.withMessageContaining("503");
		}
	}

}
