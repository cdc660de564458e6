package dev.agenthub.agentclient.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One agent connected to the {@link FakeAgentService}: what it sent, and ways to send it
 * requests or close it.
 */
public final class FakeAgentConnection {

	/** Shared mapper for tests. */
	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final FakeAgentService service;

	private final String authorization;

	private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

	private final CopyOnWriteArrayList<JsonNode> received = new CopyOnWriteArrayList<>();

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private volatile Connection netty;

	private volatile int closeCode = -1;

	private volatile String closeReason = "";

	private volatile WebSocketCloseStatus clientCloseStatus;

	private final String queryToken;

	FakeAgentConnection(FakeAgentService service, String authorization, String queryToken) {
		this.service = service;
		this.authorization = authorization;
		this.queryToken = queryToken;
	}

	void netty(Connection connection) {
		this.netty = connection;
	}

	Flux<String> outbound() {
		return this.outbound.asFlux();
	}

	void clientClosed(WebSocketCloseStatus status) {
		this.clientCloseStatus = status;
	}

	void onText(String text) {
		JsonNode message = JSON.readTree(text);
		this.received.add(message);
		this.inbox.add(message);
		String type = message.path("type").asString("");
		if ("register".equals(type)) {
			if (this.service.silentValue()) {
				return;
			}
			if (this.service.forbidValue()) {
				send("error", JSON.createObjectNode().put("code", "forbidden").put("error", "not your workspace"));
				close(4003, "forbidden");
			}
			else {
				send("registered",
						JSON.createObjectNode()
							.put("sessionId", this.service.nextSessionId())
							.put("heartbeatIntervalMs", this.service.heartbeatIntervalMsValue()));
			}
		}
		else if ("ping".equals(type)) {
			sendRaw("{\"type\":\"pong\"}");
		}
	}

	/** The {@code Authorization} header of the upgrade request, or {@code null}. */
	public String authorization() {
		return this.authorization;
	}

	/** The query token of the upgrade request, or {@code null}. */
	public String queryToken() {
		return this.queryToken;
	}

	/** Sends {@code {"type": type, "data": data, "timestamp": ...}}. */
	public void send(String type, JsonNode data) {
		ObjectNode message = JSON.createObjectNode();
		message.put("type", type);
		message.set("data", data);
		message.put("timestamp", java.time.Instant.now().toString());
		sendRaw(JSON.writeValueAsString(message));
	}

	/** Sends a raw text frame. */
	public void sendRaw(String text) {
		this.outbound.emitNext(text, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(2)));
	}

	/** Closes the WebSocket with a close frame. */
	public void close(int code, String reason) {
		this.closeCode = code;
		this.closeReason = reason;
		this.outbound.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(2)));
	}

	/** Drops the TCP connection without a close frame. */
	public void drop() {
		Connection connection = this.netty;
		if (connection != null) {
			connection.dispose();
		}
	}

	int closeCode() {
		return this.closeCode;
	}

	String closeReason() {
		return this.closeReason;
	}

	/** The close status the agent sent, or {@code null}. */
	public WebSocketCloseStatus clientCloseStatus() {
		return this.clientCloseStatus;
	}

	/**
	 * Waits for the next message of a type, skipping (but keeping in {@link #received()})
	 * others.
	 */
	public JsonNode next(String type, Duration timeout) throws InterruptedException {
		return next((message) -> type.equals(message.path("type").asString("")), timeout, "a '" + type + "' message");
	}

	/** Waits for the next message matching a predicate. */
	public JsonNode next(Predicate<JsonNode> predicate, Duration timeout, String what) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			JsonNode message = (left > 0) ? this.inbox.poll(left, TimeUnit.NANOSECONDS) : null;
			if (message == null) {
				List<JsonNode> all = received();
				throw new AssertionError("no " + what + " within " + timeout + "; received " + all.size()
						+ " messages, the last ones: " + all.subList(Math.max(0, all.size() - 10), all.size()));
			}
			if (predicate.test(message)) {
				return message;
			}
		}
	}

	/**
	 * Waits until some message received so far (consumed by {@link #next} or not) is of a
	 * type, and returns the first such.
	 */
	public JsonNode awaitReceived(String type, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - deadline < 0) {
			List<JsonNode> matching = received(type);
			if (!matching.isEmpty()) {
				return matching.get(0);
			}
			Thread.sleep(10);
		}
		throw new AssertionError("no '" + type + "' message within " + timeout);
	}

	/** Every message received so far, in order. */
	public List<JsonNode> received() {
		return new ArrayList<>(this.received);
	}

	/** Every message of a type received so far, in order. */
	public List<JsonNode> received(String type) {
		return this.received.stream().filter((m) -> type.equals(m.path("type").asString(""))).toList();
	}

}
