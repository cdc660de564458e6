package dev.agenthub.bench.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The generator's WebSocket client against Reactor Netty's server, whose frame codec
 * checks what the client writes (masking, lengths, the close handshake) and writes what
 * the client must read.
 */
class WsConnTests {

	private DisposableServer server;

	private final List<String> serverGot = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() {
		WebsocketServerSpec spec = WebsocketServerSpec.builder()
			.handlePing(true)
			.maxFramePayloadLength(1 << 20)
			.build();
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				// echoes each text frame; "close:<code>" closes with that code; "ping"
				// pings and echoes the pong's payload; "split" sends one message in
				// three fragments
				.ws("/echo", (in, out) -> out.sendObject(in.receiveFrames().concatMap(this::answer)), spec)
				.get("/busy",
						(request, response) -> response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
							.header("Retry-After", "2")
							.sendString(Mono.just("busy"))))
			.bindNow();
	}

	private Flux<WebSocketFrame> answer(WebSocketFrame frame) {
		if (frame instanceof PongWebSocketFrame pong) {
			return Flux.just(new TextWebSocketFrame("pong:" + pong.content().toString(StandardCharsets.UTF_8)));
		}
		if (!(frame instanceof TextWebSocketFrame text)) {
			return Flux.empty();
		}
		String got = text.text();
		this.serverGot.add(got);
		if (got.startsWith("close:")) {
			return Flux.just(new CloseWebSocketFrame(Integer.parseInt(got.substring(6)), "bye"));
		}
		if (got.equals("ping")) {
			return Flux.just(new PingWebSocketFrame(Unpooled.copiedBuffer("p1", StandardCharsets.UTF_8)));
		}
		if (got.equals("split")) {
			return Flux.just(new TextWebSocketFrame(false, 0, "one,"), new ContinuationWebSocketFrame(false, 0, "two,"),
					new ContinuationWebSocketFrame(true, 0, "three"));
		}
		return Flux.just(new TextWebSocketFrame(got));
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
	}

	private URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.server.port() + path + "?token=a%20b");
	}

	@Test
	void shouldSendAndReceiveTextFramesOfEveryLengthEncoding() {
		List<String> received = new CopyOnWriteArrayList<>();
		WsConn conn = WsConn.open(uri("/echo"), "127.0.0.1",
				(c, frame) -> received.add(frame.toString(StandardCharsets.UTF_8)));
		// queued before the upgrade is answered: sent after it, in order
		String medium = "m".repeat(300);
		String large = "l".repeat(70_000);
		String unicode = "é✓ " + "x".repeat(5);
		assertThat(conn.send("small")).isTrue();
		assertThat(conn.send(medium)).isTrue();
		assertThat(conn.send(large)).isTrue();
		assertThat(conn.send(unicode)).isTrue();
		await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 4);
		assertThat(received).containsExactly("small", medium, large, unicode);
		assertThat(this.serverGot).containsExactly("small", medium, large, unicode);
		conn.close();
		assertThat(conn.closed()).succeedsWithin(10, TimeUnit.SECONDS);
		assertThat(conn.send("after close")).isFalse();
	}

	@Test
	void shouldGatherAFragmentedMessageAndAnswerPings() {
		List<String> received = new CopyOnWriteArrayList<>();
		WsConn conn = WsConn.open(uri("/echo"), null,
				(c, frame) -> received.add(frame.toString(StandardCharsets.UTF_8)));
		conn.send("split");
		conn.send("ping");
		await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 2);
		assertThat(received).containsExactly("one,two,three", "pong:p1");
		conn.abort();
		assertThat(conn.closed()).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(-1);
	}

	@Test
	void shouldReportTheServersCloseCode() {
		WsConn conn = WsConn.open(uri("/echo"), null, (c, frame) -> {
		});
		conn.send("close:4010");
		assertThat(conn.closed()).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(4010);
	}

	@Test
	void shouldFailAnOpenTheServerRefuses() {
		WsConn conn = WsConn.open(uri("/busy"), null, (c, frame) -> {
		});
		assertThat(conn.closed()).succeedsWithin(10, TimeUnit.SECONDS).isEqualTo(-2);
		WsConn nobody = WsConn.open(URI.create("ws://127.0.0.1:1/ws"), null, (c, frame) -> {
		});
		assertThat(nobody.closed()).succeedsWithin(20, TimeUnit.SECONDS).isEqualTo(-2);
	}

	@Test
	void shouldRefuseFramesBeyondItsQueueWhileTheServerDoesNotRead() throws Exception {
		// a server that never reads: the socket's buffers fill, then the queue
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			WsConn conn = WsConn.open(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ws"), null,
					(c, frame) -> {
					}, 8);
			for (int i = 0; i < 8; i++) {
				assertThat(conn.send("queued " + i)).isTrue();
			}
			// not upgraded yet, so all eight wait in the queue
			assertThat(conn.send("one too many")).isFalse();
			conn.abort();
		}
	}

}
