package dev.agenthub.socketio;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw Engine.IO clients for protocol tests: Reactor Netty's HTTP and WebSocket clients.
 */
final class TestClients {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Serves a Socket.IO server at {@code /socket.io/} on a free loopback port. */
	static reactor.netty.DisposableServer serve(SocketIoServer io) {
		return serve(io, reactor.netty.http.HttpResources.get());
	}

	/** The same, on the given event loops. */
	static reactor.netty.DisposableServer serve(SocketIoServer io, reactor.netty.resources.LoopResources loops) {
		dev.agenthub.socketio.conformance.PathRouter router = new dev.agenthub.socketio.conformance.PathRouter()
			.route("/socket.io/", io.webHandler());
		return reactor.netty.http.server.HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.runOn(loops)
			.handle(new org.springframework.http.server.reactive.ReactorHttpHandlerAdapter(
					org.springframework.web.server.adapter.WebHttpHandlerBuilder.webHandler(router).build()))
			.bindNow(Duration.ofSeconds(10));
	}

	private TestClients() {
	}

	record Response(int status, String body) {
	}

	static final class Http {

		private final String base;

		private final HttpClient client = HttpClient.create();

		Http(int port, String path) {
			this.base = "http://127.0.0.1:" + port + path;
		}

		Response get(String query) {
			return this.client.get()
				.uri(this.base + "?" + query)
				.responseSingle((res, body) -> body.asString()
					.defaultIfEmpty("")
					.map((text) -> new Response(res.status().code(), text)))
				.block(TIMEOUT);
		}

		Mono<Response> getAsync(String query) {
			return this.client.get()
				.uri(this.base + "?" + query)
				.responseSingle((res, body) -> body.asString()
					.defaultIfEmpty("")
					.map((text) -> new Response(res.status().code(), text)))
				.cache();
		}

		Response post(String query, String body) {
			return this.client.post()
				.uri(this.base + "?" + query)
				.send(ByteBufFlux.fromString(Mono.just(body)))
				.responseSingle((res, content) -> content.asString()
					.defaultIfEmpty("")
					.map((text) -> new Response(res.status().code(), text)))
				.block(TIMEOUT);
		}

		Response put(String query) {
			return this.client.put()
				.uri(this.base + "?" + query)
				.responseSingle((res, body) -> body.asString()
					.defaultIfEmpty("")
					.map((text) -> new Response(res.status().code(), text)))
				.block(TIMEOUT);
		}

		/** Opens a polling session and returns its sid. */
		String open() {
			Response response = get("EIO=4&transport=polling");
			String body = response.body();
			int start = body.indexOf("\"sid\":\"") + 7;
			return body.substring(start, body.indexOf('"', start));
		}

	}

	/** A WebSocket connection; received frames are Strings (text) or byte[] (binary). */
	static final class Ws implements AutoCloseable {

		private static final Object CLOSED = new Object();

		private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

		private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();

		private volatile boolean closed;

		private volatile boolean opened;

		/** A Socket.IO WebSocket session whose open packet arrived. */
		static Ws opened(int port) {
			Ws ws = new Ws(port, "/socket.io/?EIO=4&transport=websocket");
			assertThat(ws.nextText()).startsWith("0{");
			return ws;
		}

		/**
		 * A WebSocket session connected to the main namespace: returns once the CONNECT
		 * was answered (the listener's onConnect may not have run yet).
		 */
		static Ws connectedToMain(int port) {
			Ws ws = opened(port);
			ws.send("40");
			assertThat(ws.nextNonPing()).startsWith("40{\"sid\":");
			return ws;
		}

		Ws(int port, String pathAndQuery) {
			HttpClient.create()
				.websocket(reactor.netty.http.client.WebsocketClientSpec.builder()
					.maxFramePayloadLength(2_000_000)
					.build())
				.uri("ws://127.0.0.1:" + port + pathAndQuery)
				.handle((in, out) -> {
					this.opened = true;
					Mono<Void> receive = in.receiveFrames().doOnNext((frame) -> {
						if (frame instanceof TextWebSocketFrame text) {
							this.received.add(text.text());
						}
						else if (frame instanceof BinaryWebSocketFrame binary) {
							this.received.add(bytes(binary.content()));
						}
					}).then();
					Mono<Void> send = out.sendObject(this.outbound.asFlux()).then();
					return Mono.firstWithSignal(receive, send);
				})
				.doFinally((signal) -> {
					this.closed = true;
					this.received.add(CLOSED);
				})
				.subscribe(null, (error) -> {
				});
		}

		void send(String text) {
			this.outbound.tryEmitNext(new TextWebSocketFrame(text));
		}

		/** Whether the server accepted the upgrade (101). */
		boolean opened() {
			return this.opened;
		}

		void sendBinary(byte[] data) {
			this.outbound.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
		}

		/** The next frame, or fails if none arrives in time or the socket closed. */
		Object next() {
			try {
				Object frame = this.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (frame == null) {
					throw new AssertionError("no frame within " + TIMEOUT);
				}
				if (frame == CLOSED) {
					this.received.add(CLOSED);
					throw new AssertionError("socket closed while a frame was expected");
				}
				return frame;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

		String nextText() {
			Object frame = next();
			if (frame instanceof String text) {
				return text;
			}
			throw new AssertionError("expected a text frame, got " + frame.getClass().getSimpleName());
		}

		/** The next text frame that is not an Engine.IO ping. */
		String nextNonPing() {
			while (true) {
				Object frame = next();
				if (!"2".equals(frame)) {
					if (frame instanceof String text) {
						return text;
					}
					throw new AssertionError("expected text, got binary");
				}
			}
		}

		byte[] nextBinary() {
			Object frame = next();
			if (frame instanceof byte[] data) {
				return data;
			}
			throw new AssertionError("expected a binary frame, got " + frame);
		}

		/** Waits until the server closes the socket (frames before that are skipped). */
		boolean awaitClose(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (System.nanoTime() < deadline) {
					Object frame = this.received.poll(50, TimeUnit.MILLISECONDS);
					if (frame == CLOSED || this.closed) {
						return true;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return false;
		}

		@Override
		public void close() {
			this.outbound.tryEmitComplete();
		}

		private static byte[] bytes(ByteBuf buf) {
			byte[] data = new byte[buf.readableBytes()];
			buf.getBytes(buf.readerIndex(), data);
			return data;
		}

	}

	static String utf8(byte[] data) {
		return new String(data, StandardCharsets.UTF_8);
	}

}
