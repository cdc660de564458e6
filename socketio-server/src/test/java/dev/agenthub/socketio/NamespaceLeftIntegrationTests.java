package dev.agenthub.socketio;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.socketio.TestClients.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session whose last namespace left gets the connect timeout again. Before, one that
 * sent {@code 41} (or whose namespace the server ended: an expired token) lived on
 * without any namespace for as long as the client sent pongs — past its token, counted
 * against the sessions a node holds.
 */
@Timeout(30)
class NamespaceLeftIntegrationTests {

	private static final SocketIoConfig CONFIG = SocketIoConfig.defaults()
		.withHeartbeat(Duration.ofMillis(300), Duration.ofSeconds(5))
		.withConnectTimeout(Duration.ofMillis(500));

	private SocketIoServer io;

	private DisposableServer server;

	@BeforeEach
	void start() {
		// nothing to do on its events: only the session's life is looked at
		SocketListener listener = new SocketListener() {
		};
		this.io = new SocketIoServer(CONFIG,
				Map.of("/", (handshake, auth) -> Mono.just(ConnectDecision.accept(listener))), SocketIoMetrics.NOOP);
		this.server = TestClients.serve(this.io);
	}

	@AfterEach
	void stop() {
		this.io.shutdown().block(Duration.ofSeconds(5));
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Test
	void shouldCloseASessionThatLeftItsLastNamespaceAndConnectsNoOther() throws InterruptedException {
		Http http = new Http(this.server.port(), "/socket.io/");
		String query = "EIO=4&transport=polling&sid=" + http.open();
		assertThat(http.post(query, "40").body()).isEqualTo("ok");
		assertThat(http.get(query).body()).contains("40{\"sid\"");
		assertThat(http.post(query, "41").body()).isEqualTo("ok");
		// the client answers pings blindly and never polls: only the connect timeout
		// (500 ms here) can end the session
		int status = 200;
		for (int i = 0; i < 40 && status == 200; i++) {
			Thread.sleep(100);
			status = http.post(query, "3").status();
		}
		assertThat(status).as("the session was closed").isEqualTo(400);
		assertThat(http.post(query, "3").body()).contains("Session ID unknown");
	}

	@Test
	void shouldKeepASessionThatConnectsANamespaceAgainInTime() throws InterruptedException {
		Http http = new Http(this.server.port(), "/socket.io/");
		String query = "EIO=4&transport=polling&sid=" + http.open();
		assertThat(http.post(query, "40").body()).isEqualTo("ok");
		assertThat(http.get(query).body()).contains("40{\"sid\"");
		assertThat(http.post(query, "41").body()).isEqualTo("ok");
		assertThat(http.post(query, "40").body()).isEqualTo("ok");
		assertThat(http.get(query).body()).contains("40{\"sid\"");
		// connected again: past the timeout, the session lives on
		for (int i = 0; i < 10; i++) {
			Thread.sleep(100);
			assertThat(http.post(query, "3").status()).isEqualTo(200);
		}
	}

}
