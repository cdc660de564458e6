package dev.agenthub.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agenthub.socketio.TestClients.Http;
import dev.agenthub.socketio.TestClients.Response;
import dev.agenthub.socketio.TestClients.Ws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flow control on the client's input ({@link SioSocket#holdInput()}): while held, a
 * WebSocket is read no further than what it had asked for, a long-polling POST is not
 * answered; released, everything sent meanwhile arrives, in order.
 */
@Timeout(30)
class InputHoldIntegrationTests {

	private static final SocketIoConfig CONFIG = SocketIoConfig.defaults()
		.withHeartbeat(Duration.ofSeconds(30), Duration.ofSeconds(30));

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final CompletableFuture<SioSocket> holding = new CompletableFuture<>();

	private SocketIoServer io;

	private DisposableServer server;

	@BeforeEach
	void start() {
		SocketListener listener = new SocketListener() {

			@Override
			public void onEvent(SioSocket socket, SioEvent event) {
				if ("hold".equals(event.name())) {
					socket.holdInput();
					InputHoldIntegrationTests.this.holding.complete(socket);
				}
				else {
					InputHoldIntegrationTests.this.received.add(event.args().get(0).asString());
				}
			}

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
	void shouldStopReadingAHeldWebSocketAndReadOnOnceReleased() throws Exception {
		try (Ws ws = Ws.connectedToMain(this.server.port())) {
			ws.send("42[\"hold\"]");
			int sent = 5_000;
			for (int i = 0; i < sent; i++) {
				ws.send("42[\"e\",\"" + i + "\"]");
			}
			SioSocket socket = this.holding.get();
			Thread.sleep(500);
			int whileHeld = this.received.size();
			// what it had asked for before the hold, not the thousands sent
			assertThat(whileHeld).isLessThanOrEqualTo(64);
			Thread.sleep(300);
			assertThat(this.received).hasSize(whileHeld);
			socket.releaseInput();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (this.received.size() < sent && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(this.received).hasSize(sent);
			for (int i = 0; i < sent; i++) {
				assertThat(this.received.get(i)).isEqualTo(Integer.toString(i));
			}
		}
	}

	@Test
	void shouldAnswerAHeldPollingPostOnlyOnceReleased() throws Exception {
		String query = connectedOverPolling();
		CompletableFuture<Response> answered = postAsync(query, "42[\"hold\"]\u001e42[\"e\",\"after\"]");
		SioSocket socket = this.holding.get();
		Thread.sleep(500);
		assertThat(answered).as("not answered while the input is held").isNotDone();
		// the packets of the POST itself were taken
		assertThat(this.received).containsExactly("after");
		socket.releaseInput();
		Response response = answered.get();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("ok");
	}

	/**
	 * A client that does not wait for its answers: before, each POST sent while the first
	 * was held was taken (one payload's worth of packets past the hold each), and only
	 * the listener's own bound stopped it.
	 */
	@Test
	void shouldRefuseAPollingPostSentWhileAHeldOneAwaitsItsAnswer() throws Exception {
		String query = connectedOverPolling();
		CompletableFuture<Response> held = postAsync(query, "42[\"hold\"]");
		this.holding.get();
		Response overlapping = postAsync(query, "42[\"e\",\"past the hold\"]").get();
		assertThat(overlapping.status()).isEqualTo(400);
		assertThat(this.received).as("nothing of it was taken").isEmpty();
		// as the reference server: an overlapping POST closes the session
		assertThat(held.get().status()).isEqualTo(200);
		Response after = postAsync(query, "42[\"e\",\"later\"]").get();
		assertThat(after.status()).isEqualTo(400);
		assertThat(after.body()).contains("Session ID unknown");
	}

	@Test
	void shouldAnswerAHeldPollingPostWhenTheSessionCloses() throws Exception {
		String query = connectedOverPolling();
		CompletableFuture<Response> answered = postAsync(query, "42[\"hold\"]");
		SioSocket socket = this.holding.get();
		Thread.sleep(200);
		assertThat(answered).isNotDone();
		socket.close();
		assertThat(answered.get().status()).isEqualTo(200);
	}

	/** A POST whose answer is awaited later. */
	private CompletableFuture<Response> postAsync(String query, String body) {
		return HttpClient.create()
			.post()
			.uri("http://127.0.0.1:" + this.server.port() + "/socket.io/?" + query)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((res, content) -> content.asString()
				.defaultIfEmpty("")
				.map((text) -> new Response(res.status().code(), text)))
			.toFuture();
	}

	/** A long-polling session connected to the main namespace: its query. */
	private String connectedOverPolling() {
		Http http = new Http(this.server.port(), "/socket.io/");
		String query = "EIO=4&transport=polling&sid=" + http.open();
		assertThat(http.post(query, "40").body()).isEqualTo("ok");
		return query;
	}

}
