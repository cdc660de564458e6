package dev.agenthub.agentclient.fake;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The server side of the agent protocol, just enough for tests: answers {@code register}
 * with {@code registered} (or {@code error forbidden} + close 4003 when told to refuse),
 * {@code ping} with {@code pong}, and records every message.
 */
public final class FakeAgentService implements AutoCloseable {

	private final DisposableServer server;

	private final BlockingQueue<FakeAgentConnection> connections = new LinkedBlockingQueue<>();

	private final CopyOnWriteArrayList<FakeAgentConnection> all = new CopyOnWriteArrayList<>();

	private final AtomicInteger sessionIds = new AtomicInteger();

	private volatile long heartbeatIntervalMs = 10_000;

	private volatile boolean dropBeforeRegistered;

	private volatile boolean forbid;

	private volatile boolean silent;

	public FakeAgentService() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/agent/ws",
					(request,
							response) -> response.sendWebsocket((in, out) -> handle(request.uri(),
									request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), in, out))))
			.bindNow(Duration.ofSeconds(10));
	}

	/** The agent endpoint, {@code ws://127.0.0.1:<port>/agent/ws}. */
	public URI uri() {
		return URI.create("ws://127.0.0.1:" + this.server.port() + "/agent/ws");
	}

	/** The heartbeat interval sent in {@code registered}. */
	public FakeAgentService heartbeatIntervalMs(long millis) {
		this.heartbeatIntervalMs = millis;
		return this;
	}

	/** When set, new connections are closed (1011) as soon as they open. */
	public FakeAgentService dropBeforeRegistered(boolean drop) {
		this.dropBeforeRegistered = drop;
		return this;
	}

	/**
	 * When set, {@code register} is answered with {@code error forbidden} and close 4003.
	 */
	public FakeAgentService forbid(boolean forbid) {
		this.forbid = forbid;
		return this;
	}

	/** When set, {@code register} is never answered. */
	public FakeAgentService silent(boolean silent) {
		this.silent = silent;
		return this;
	}

	boolean silentValue() {
		return this.silent;
	}

	/**
	 * Waits for the next agent connection.
	 * @param timeout how long to wait
	 * @return the connection
	 */
	public FakeAgentConnection nextConnection(Duration timeout) throws InterruptedException {
		FakeAgentConnection connection = this.connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (connection == null) {
			throw new AssertionError("no agent connected within " + timeout);
		}
		return connection;
	}

	/** Every connection so far. */
	public java.util.List<FakeAgentConnection> allConnections() {
		return java.util.List.copyOf(this.all);
	}

	long heartbeatIntervalMsValue() {
		return this.heartbeatIntervalMs;
	}

	boolean forbidValue() {
		return this.forbid;
	}

	String nextSessionId() {
		return "s" + this.sessionIds.incrementAndGet();
	}

	private Mono<Void> handle(String uri, String authorization, WebsocketInbound in, WebsocketOutbound out) {
		FakeAgentConnection connection = new FakeAgentConnection(this, authorization, queryToken(uri));
		in.withConnection(connection::netty);
		Sinks.Empty<Void> inboundDone = Sinks.empty();
		in.receiveCloseStatus().subscribe(connection::clientClosed);
		this.all.add(connection);
		this.connections.add(connection);
		if (this.dropBeforeRegistered) {
			return out.sendClose(1011, "not now");
		}
		Mono<Void> inbound = in.aggregateFrames(1024 * 1024)
			.receive()
			.asString()
			.doOnNext(connection::onText)
			.then()
			.doFinally((signal) -> inboundDone.tryEmitEmpty());
		Mono<Void> outbound = out.sendString(connection.outbound().takeUntilOther(inboundDone.asMono()))
			.then()
			.then(Mono.defer(() -> (connection.closeCode() > 0)
					? out.sendClose(connection.closeCode(), connection.closeReason()) : Mono.empty()));
		return Mono.when(inbound, outbound);
	}

	/** Query parameter {@code token} of a request URI, for tests of query-token auth. */
	static String queryToken(String uri) {
		var values = new QueryStringDecoder(uri).parameters().get("token");
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
