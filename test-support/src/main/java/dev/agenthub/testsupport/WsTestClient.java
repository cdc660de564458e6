package dev.agenthub.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.agenthub.contracts.codec.HubJson;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;

/**
 * A real WebSocket client (Reactor Netty) for tests: sends text frames, queues every
 * received text frame, waits for messages and for the close status, all with time bounds.
 */
public final class WsTestClient implements AutoCloseable {

	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

	private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

	private final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final CompletableFuture<Void> open = new CompletableFuture<>();

	private final Disposable connection;

	private WsTestClient(String url, Map<String, String> headers, int maxFrameBytes) {
		this.connection = HttpClient.create()
			.headers((h) -> headers.forEach(h::set))
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(maxFrameBytes).handlePing(true).build())
			.uri(url)
			.handle((in, out) -> {
				this.open.complete(null);
				in.receiveCloseStatus()
					.map(WebSocketCloseStatus::code)
					.subscribe(this.closeCode::complete, this.closeCode::completeExceptionally,
							() -> this.closeCode.complete(-1));
				Mono<Void> reading = in.aggregateFrames(16 * 1024 * 1024).receive().asString().doOnNext((text) -> {
					JsonNode node = HubJson.parse(text);
					this.received.add(node);
					this.inbox.add(node);
				}).then();
				return out.sendString(this.outbound.asFlux()).then().and(reading);
			})
			.subscribe(null, (ex) -> {
				this.open.completeExceptionally(ex);
				this.closeCode.completeExceptionally(ex);
			}, () -> this.closeCode.complete(-1));
	}

	/** Connects and waits until the socket is open. */
	public static WsTestClient connect(String url) {
		return connect(url, Map.of());
	}

	/**
	 * Connects a browser to a gateway URL carrying its token and waits for its successful
	 * {@code auth} reply.
	 */
	public static WsTestClient authenticated(String url) {
		WsTestClient client = connect(url);
		JsonNode auth = client.awaitType("auth");
		if (!auth.path("data").path("success").asBoolean(false)) {
			client.close();
			throw new AssertionError("not authenticated: " + auth);
		}
		return client;
	}

	/** Connects with request headers and waits until the socket is open. */
	public static WsTestClient connect(String url, Map<String, String> headers) {
		WsTestClient client = new WsTestClient(url, headers, 16 * 1024 * 1024);
		client.open.orTimeout(10, TimeUnit.SECONDS).join();
		return client;
	}

	/** Sends a text frame. */
	public WsTestClient send(String text) {
		this.outbound.emitNext(text, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
		return this;
	}

	/** Sends a value as JSON. */
	public WsTestClient sendJson(Object value) {
		return send((value instanceof String text) ? text : HubJson.write(value));
	}

	/** The next received message, waiting up to 10 s. */
	public JsonNode next() {
		return next(DEFAULT_WAIT);
	}

	/** The next received message, waiting up to {@code timeout}. */
	public JsonNode next(Duration timeout) {
		try {
			JsonNode node = this.inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (node == null) {
				throw new AssertionError("No message within " + timeout + "; received so far: " + this.received);
			}
			return node;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The next message matching, skipping others, waiting up to 10 s in all. */
	public JsonNode await(Predicate<JsonNode> match) {
		return await(match, DEFAULT_WAIT);
	}

	/** The next message matching, skipping others. */
	public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("No matching message within " + timeout + "; received: " + this.received);
			}
			try {
				JsonNode node = this.inbox.poll(left, TimeUnit.NANOSECONDS);
				if (node != null && match.test(node)) {
					return node;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/** The next message of the given type, skipping others. */
	public JsonNode awaitType(String type) {
		return await((node) -> type.equals(node.path("type").asString()));
	}

	/** Whether no message arrives within {@code quiet}. */
	public boolean silentFor(Duration quiet) {
		try {
			JsonNode node = this.inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
			if (node != null) {
				this.inbox.add(node);
				return false;
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Every message received so far. */
	public List<JsonNode> received() {
		return List.copyOf(this.received);
	}

	/** Waits for the server to close the socket and returns the close code (-1: none). */
	public int awaitClose(Duration timeout) {
		return this.closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	/** Whether the socket was closed. */
	public boolean isClosed() {
		return this.closeCode.isDone();
	}

	@Override
	public void close() {
		this.outbound.tryEmitComplete();
		this.connection.dispose();
	}

}
