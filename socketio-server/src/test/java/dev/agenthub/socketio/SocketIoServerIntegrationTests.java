package dev.agenthub.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.socketio.TestClients.Http;
import dev.agenthub.socketio.TestClients.Response;
import dev.agenthub.socketio.TestClients.Ws;
import dev.agenthub.socketio.parser.SioJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SPI as the services use it: the outbound bound and its observability, metrics
 * hooks, serialize-once packets, server-side disconnect and graceful shutdown.
 */
@Timeout(30)
class SocketIoServerIntegrationTests {

	private static final SocketIoConfig CONFIG = SocketIoConfig.defaults()
		.withHeartbeat(Duration.ofSeconds(30), Duration.ofSeconds(30))
		.withMaxPayload(1000)
		.withMaxOutboundBytes(4096);

	private final List<SioSocket> sockets = new CopyOnWriteArrayList<>();

	private final CompletableFuture<DisconnectReason> disconnected = new CompletableFuture<>();

	private final List<Boolean> floodResults = new CopyOnWriteArrayList<>();

	private final RecordingMetrics metrics = new RecordingMetrics();

	private final AtomicInteger disconnects = new AtomicInteger();

	private SocketIoServer io;

	private DisposableServer server;

	private final SocketListener listener = new SocketListener() {

		@Override
		public void onConnect(SioSocket socket) {
			SocketIoServerIntegrationTests.this.sockets.add(socket);
		}

		@Override
		public void onEvent(SioSocket socket, SioEvent event) {
			if ("flood".equals(event.name())) {
				for (int i = 0; i < 100; i++) {
					SocketIoServerIntegrationTests.this.floodResults
						.add(socket.emit("chunk", SioJson.NODES.stringNode("x".repeat(200))));
				}
			}
			else if ("flood-ws".equals(event.name())) {
				String chunk = "y".repeat(1000);
				for (int i = 0; i < 50_000; i++) {
					if (!socket.emit("chunk", SioJson.NODES.stringNode(chunk))) {
						SocketIoServerIntegrationTests.this.floodResults.add(false);
						return;
					}
				}
				SocketIoServerIntegrationTests.this.floodResults.add(true);
			}
			else if ("close-peers".equals(event.name())) {
				// each listener closes the others, then itself: when two run at once,
				// each closes a socket whose listener may be running
				for (SioSocket other : SocketIoServerIntegrationTests.this.sockets) {
					if (other != socket) {
						other.emit("bye");
						other.close();
					}
				}
				socket.close();
			}
			else if ("leave".equals(event.name())) {
				socket.disconnect();
			}
		}

		@Override
		public void onDisconnect(SioSocket socket, DisconnectReason reason) {
			SocketIoServerIntegrationTests.this.disconnected.complete(reason);
			SocketIoServerIntegrationTests.this.disconnects.incrementAndGet();
		}

	};

	private void start() {
		this.io = new SocketIoServer(CONFIG,
				Map.of("/", (handshake, auth) -> Mono.just(ConnectDecision.accept(this.listener))), this.metrics);
		this.server = TestClients.serve(this.io);
	}

	@AfterEach
	void stop() {
		if (this.io == null) {
			return;
		}
		this.io.shutdown().block(Duration.ofSeconds(5));
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Test
	void shouldCloseSlowReaderWhenOutboundQueueOverflows() throws Exception {
		start();
		Http http = new Http(this.server.port(), "/socket.io/");
		String sid = http.open();
		String query = "EIO=4&transport=polling&sid=" + sid;
		http.post(query, "40");
		assertThat(http.get(query).body()).startsWith("40{\"sid\":");
		// the client stops polling and asks for more than the 4 KiB bound
		assertThat(http.post(query, "42[\"flood\"]").body()).isEqualTo("ok");
		assertThat(this.disconnected.get(5, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.OUTBOUND_OVERFLOW);
		assertThat(this.metrics.overflows.get()).isEqualTo(1);
		assertThat(this.metrics.closed).contains(DisconnectReason.OUTBOUND_OVERFLOW);
		assertThat(this.floodResults).hasSize(100).startsWith(true).endsWith(false);
		assertThat(this.floodResults.stream().filter((sent) -> sent).count()).isLessThan(4096 / 200 + 1);
		assertThat(http.get(query).status()).isEqualTo(400);
		assertThat(this.io.sessionCount()).isZero();
	}

	@Test
	void shouldCloseWebSocketClientThatStopsReading() throws Exception {
		start();
		try (java.net.Socket raw = new java.net.Socket()) {
			raw.setReceiveBufferSize(4096);
			raw.connect(new java.net.InetSocketAddress("127.0.0.1", this.server.port()), 5000);
			raw.setSoTimeout(5000);
			RawWebSocket.handshake(raw, "/socket.io/?EIO=4&transport=websocket");
			RawWebSocket.sendText(raw, "40");
			assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.sockets.size() == 1)).isTrue();
			// the client never reads again: Netty stops taking frames, the session queue
			// fills
			RawWebSocket.sendText(raw, "42[\"flood-ws\"]");
			assertThat(this.disconnected.get(10, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.OUTBOUND_OVERFLOW);
			assertThat(this.floodResults).containsExactly(false);
			assertThat(this.metrics.overflows.get()).isEqualTo(1);
		}
		// other clients are served as usual
		try (Ws other = connect()) {
			other.send("42[\"leave\"]");
			assertThat(other.nextNonPing()).isEqualTo("41");
		}
	}

	@Test
	void shouldLetListenersCloseEachOtherConcurrently() {
		start();
		for (int round = 1; round <= 10; round++) {
			this.sockets.clear();
			try (Ws first = connect(); Ws second = connect()) {
				assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.sockets.size() == 2)).isTrue();
				first.send("42[\"close-peers\"]");
				second.send("42[\"close-peers\"]");
				assertThat(first.awaitClose(TestClients.TIMEOUT)).isTrue();
				assertThat(second.awaitClose(TestClients.TIMEOUT)).isTrue();
			}
			int expected = round * 2;
			assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.disconnects.get() == expected)).isTrue();
		}
	}

	@Test
	void shouldSendOnePreEncodedPacketToManySockets() {
		start();
		try (Ws first = connect(); Ws second = connect()) {
			assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.sockets.size() == 2)).isTrue();
			SioPacket packet = this.io.encodeEvent("/", "tab:output", SioJson.NODES.objectNode().put("data", "ls\n"),
					SioJson.NODES.binaryNode(new byte[] { 7 }), SioJson.NODES.stringNode("17"));
			for (SioSocket socket : this.sockets) {
				assertThat(socket.send(packet)).isTrue();
			}
			for (Ws ws : List.of(first, second)) {
				assertThat(ws.nextNonPing())
					.isEqualTo("451-[\"tab:output\",{\"data\":\"ls\\n\"},{\"_placeholder\":true,\"num\":0},\"17\"]");
				assertThat(ws.nextBinary()).containsExactly(7);
			}
			SioPacket raw = this.io.encodeRawEvent("/", "chat_message", "{\"text\":\"hi\"}", "\"18\"");
			for (SioSocket socket : this.sockets) {
				assertThat(socket.send(raw)).isTrue();
			}
			for (Ws ws : List.of(first, second)) {
				assertThat(ws.nextNonPing()).isEqualTo("42[\"chat_message\",{\"text\":\"hi\"},\"18\"]");
			}
			SioPacket other = this.io.encodeEvent("/agent", "x");
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> this.sockets.get(0).send(other));
		}
		assertThat(this.metrics.connected.get()).isEqualTo(2);
	}

	@Test
	void shouldWriteALongRunOfPacketsWholeAndInOrder() throws Exception {
		LoopResources loops = LoopResources.create("one-loop", 1, true);
		try {
			this.io = new SocketIoServer(CONFIG,
					Map.of("/", (handshake, auth) -> Mono.just(ConnectDecision.accept(this.listener))), this.metrics);
			this.server = TestClients.serve(this.io, loops);
			try (Ws ws = connect()) {
				assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.sockets.size() == 1)).isTrue();
				// its only event loop is held while 40 packets queue, so that one write
				// pass takes them all: each arrives, in order, none left unflushed
				CountDownLatch queued = new CountDownLatch(1);
				loops.onServer(true).next().execute(() -> {
					try {
						queued.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				int count = 40;
				for (int i = 0; i < count; i++) {
					assertThat(this.sockets.get(0).emit("n", SioJson.NODES.numberNode(i))).isTrue();
				}
				queued.countDown();
				for (int i = 0; i < count; i++) {
					assertThat(ws.nextNonPing()).isEqualTo("42[\"n\"," + i + "]");
				}
			}
		}
		finally {
			stop();
			this.io = null;
			loops.disposeLater().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void shouldDisconnectNamespaceFromServerSide() throws Exception {
		start();
		try (Ws ws = connect()) {
			ws.send("42[\"leave\"]");
			assertThat(ws.nextNonPing()).isEqualTo("41");
			assertThat(this.disconnected.get(5, TimeUnit.SECONDS))
				.isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
			assertThat(this.sockets.get(0).connected()).isFalse();
			assertThat(this.sockets.get(0).emit("late")).isFalse();
		}
	}

	@Test
	void shouldCloseEverySessionOnShutdown() throws Exception {
		start();
		Ws ws = connect();
		assertThat(this.io.sessionCount()).isEqualTo(1);
		this.io.shutdown().block(Duration.ofSeconds(5));
		assertThat(this.disconnected.get(5, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.SERVER_SHUTDOWN);
		assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		assertThat(this.io.sessionCount()).isZero();
	}

	@Test
	void shouldCloseSessionOnOversizedWebSocketFrame() {
		start();
		try (Ws ws = connect()) {
			ws.send("42[\"big\",\"" + "x".repeat(1500) + "\"]");
			assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
		}
		assertThat(EngineIoProtocolIntegrationTests
			.eventually(() -> this.metrics.closed.contains(DisconnectReason.PAYLOAD_TOO_LARGE))).isTrue();
	}

	@Test
	void shouldReportClientGoneWhenWebSocketCloses() throws Exception {
		start();
		Ws ws = connect();
		assertThat(this.io.sessionCount()).isEqualTo(1);
		ws.close();
		assertThat(this.disconnected.get(5, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);
		assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.io.sessionCount() == 0)).isTrue();
	}

	@Test
	void shouldRefuseNewSessionsAfterShutdown() {
		start();
		this.io.shutdown().block(Duration.ofSeconds(5));
		Http http = new Http(this.server.port(), "/socket.io/");
		assertThat(http.get("EIO=4&transport=polling").status()).isEqualTo(503);
		Ws ws = new Ws(this.server.port(), "/socket.io/?EIO=4&transport=websocket");
		assertThat(ws.awaitClose(TestClients.TIMEOUT)).isTrue();
	}

	@Test
	void shouldRefuseHandshakesBeyondMaxSessions() {
		this.io = new SocketIoServer(CONFIG.withMaxSessions(1), Map.of(), this.metrics);
		this.server = TestClients.serve(this.io);
		Http http = new Http(this.server.port(), "/socket.io/");
		assertThat(http.get("EIO=4&transport=polling").status()).isEqualTo(200);
		Response refused = http.get("EIO=4&transport=polling");
		assertThat(refused.status()).isEqualTo(503);
		assertThat(this.metrics.rejected.get()).isEqualTo(1);
	}

	/**
	 * A client connected to the main namespace once the listener was told of it: a socket
	 * that ends before its onConnect runs is told neither its connect nor its disconnect,
	 * which a test closing at once would otherwise race.
	 */
	private Ws connect() {
		int before = this.sockets.size();
		Ws ws = Ws.connectedToMain(this.server.port());
		assertThat(EngineIoProtocolIntegrationTests.eventually(() -> this.sockets.size() > before)).isTrue();
		return ws;
	}

	static final class RecordingMetrics implements SocketIoMetrics {

		final AtomicInteger overflows = new AtomicInteger();

		final AtomicInteger connected = new AtomicInteger();

		final AtomicInteger rejected = new AtomicInteger();

		final List<DisconnectReason> closed = new CopyOnWriteArrayList<>();

		@Override
		public void outboundOverflow() {
			this.overflows.incrementAndGet();
		}

		@Override
		public void socketConnected(String namespace) {
			this.connected.incrementAndGet();
		}

		@Override
		public void sessionRejected() {
			this.rejected.incrementAndGet();
		}

		@Override
		public void sessionClosed(DisconnectReason reason) {
			this.closed.add(reason);
		}

	}

}
