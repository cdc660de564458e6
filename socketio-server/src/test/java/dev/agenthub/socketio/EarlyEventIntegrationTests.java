package dev.agenthub.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.socketio.TestClients.Ws;
import dev.agenthub.socketio.parser.SioJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's first event can reach the server before the socket's listener has run
 * onConnect: the CONNECT reply goes out first (so that what onConnect sends comes after
 * it), and the namespace handler decides on another thread. The listener must still see
 * onConnect first and then the event (the hub's listener failed on such an event and the
 * client waited for an answer that never came: 12 of 10,000 in a reconnect storm).
 */
@Timeout(30)
class EarlyEventIntegrationTests {

	private final List<String> seen = new CopyOnWriteArrayList<>();

	private SocketIoServer io;

	private DisposableServer server;

	@BeforeEach
	void start() {
		SocketListener listener = new SocketListener() {

			@Override
			public void onConnect(SioSocket socket) {
				EarlyEventIntegrationTests.this.seen.add("connect");
			}

			@Override
			public void onDisconnect(SioSocket socket, DisconnectReason reason) {
				EarlyEventIntegrationTests.this.seen.add("disconnect");
			}

			@Override
			public void onEvent(SioSocket socket, SioEvent event) {
				EarlyEventIntegrationTests.this.seen.add("event " + event.name());
				if (event.ack() != null) {
					event.ack().send(SioJson.NODES.stringNode("ok"));
				}
			}

		};
		// the window between the CONNECT reply and onConnect, made wide: the metrics hook
		// runs between them on the thread that decided
		SocketIoMetrics slowBetween = new SocketIoMetrics() {

			@Override
			public void socketConnected(String namespace) {
				try {
					Thread.sleep(300);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
		NamespaceHandler decidedElsewhere = (handshake, auth) -> Mono
			.<ConnectDecision>just(ConnectDecision.accept(listener))
			.publishOn(Schedulers.boundedElastic());
		this.io = new SocketIoServer(SocketIoConfig.defaults(), Map.of("/", decidedElsewhere), slowBetween);
		this.server = TestClients.serve(this.io);
	}

	@AfterEach
	void stop() {
		this.io.shutdown().block(Duration.ofSeconds(5));
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * A client whose CONNECT was answered (the listener's onConnect may not have run).
	 */
	private Ws connected() {
		return Ws.connectedToMain(this.server.port());
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void shouldHandAnEventThatOvertookOnConnectToTheListenerAfterIt() {
		try (Ws ws = connected()) {
			// at once, while the server is still between its reply and onConnect
			ws.send("421[\"hello\"]");
			ws.send("422[\"again\"]");
			assertThat(ws.nextNonPing()).isEqualTo("431[\"ok\"]");
			assertThat(ws.nextNonPing()).isEqualTo("432[\"ok\"]");
		}
		assertThat(this.seen).startsWith("connect", "event hello", "event again");
	}

	@Test
	void shouldCloseASessionThatFloodsEventsBeforeItIsConnected() {
		try (Ws ws = connected()) {
			for (int i = 0; i < 100; i++) {
				ws.send("42[\"early\"]");
			}
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
		// what waited was bounded and dropped with the session, closed before the
		// listener was told of the connect: it hears of neither, nor of the flood
		pause(Duration.ofMillis(800));
		assertThat(this.seen).isEmpty();
	}

	@Test
	void shouldTellAListenerNothingOfASocketWhoseSessionClosedBeforeOnConnect() {
		// the client goes (a dropped transport) while the server is between its CONNECT
		// reply and onConnect: told the connect after the disconnect, the hub kept the
		// socket's connection and session for good (214 of 6,000 warm-up clients)
		try (Ws ws = connected()) {
		}
		pause(Duration.ofMillis(800));
		assertThat(this.seen).isEmpty();
	}

	@Test
	void shouldTellTheDisconnectOfASocketThatClosedAfterOnConnect() {
		try (Ws ws = connected()) {
			pause(Duration.ofMillis(800));
		}
		assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.seen.contains("disconnect"))).isTrue();
		assertThat(this.seen).containsExactly("connect", "disconnect");
	}

}
