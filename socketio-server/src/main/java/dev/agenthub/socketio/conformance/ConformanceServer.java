package dev.agenthub.socketio.conformance;

import java.time.Duration;
import java.util.Map;

import dev.agenthub.socketio.DisconnectReason;
import dev.agenthub.socketio.SocketIoConfig;
import dev.agenthub.socketio.SocketIoMetrics;
import dev.agenthub.socketio.SocketIoServer;
import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.transport.EngineIoWebHandler;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * The server the official Engine.IO and Socket.IO protocol test suites expect: an
 * Engine.IO echo endpoint at {@code /engine.io/} and Socket.IO at {@code /socket.io/}
 * with namespaces {@code /} and {@code /custom}, pingInterval 300 ms, pingTimeout 200 ms,
 * maxPayload 1,000,000, connectTimeout 1 s.
 *
 * <p>
 * Run: {@code java -cp ... dev.agenthub.socketio.conformance.ConformanceServer [port]}
 * (default port 3000).
 */
public final class ConformanceServer implements AutoCloseable {

	/** The settings the test suites assume. */
	public static final SocketIoConfig CONFIG = SocketIoConfig.defaults()
		.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
		.withMaxPayload(1_000_000)
		.withConnectTimeout(Duration.ofSeconds(1));

	private final SocketIoServer socketIo;

	private final Scheduler echoTimer = Schedulers.newSingle("engineio-echo-timer", true);

	private final EioSessions echoSessions;

	private final DisposableServer server;

	private ConformanceServer(String host, int port, SocketIoConfig config) {
		ConformanceNamespaceHandler handler = new ConformanceNamespaceHandler();
		this.socketIo = new SocketIoServer(config, Map.of("/", handler, "/custom", handler), SocketIoMetrics.NOOP);
		this.echoSessions = new EioSessions(config, new EchoApplication(), SocketIoMetrics.NOOP, this.echoTimer);
		PathRouter router = new PathRouter().route("/engine.io/", new EngineIoWebHandler(this.echoSessions))
			.route("/socket.io/", this.socketIo.webHandler());
		HttpHandler httpHandler = WebHttpHandlerBuilder.webHandler(router).build();
		this.server = HttpServer.create()
			.host(host)
			.port(port)
			.handle(new ReactorHttpHandlerAdapter(httpHandler))
			.bindNow(Duration.ofSeconds(10));
	}

	/** Start on {@code port} of the loopback interface (0 picks a free port). */
	public static ConformanceServer start(int port) {
		return start(port, CONFIG);
	}

	/** Start with other settings, e.g. a long heartbeat for tests of other behaviour. */
	public static ConformanceServer start(int port, SocketIoConfig config) {
		return new ConformanceServer("127.0.0.1", port, config);
	}

	public int port() {
		return this.server.port();
	}

	/**
	 * The sessions of the {@code /engine.io/} echo server (tests look at their state).
	 */
	public EioSessions engineIoSessions() {
		return this.echoSessions;
	}

	@Override
	public void close() {
		this.socketIo.shutdown().block(Duration.ofSeconds(5));
		this.echoSessions.shutdown(DisconnectReason.SERVER_SHUTDOWN);
		this.echoTimer.dispose();
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	public static void main(String[] args) {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 3000;
		ConformanceServer server = new ConformanceServer("0.0.0.0", port, CONFIG);
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		System.out.println("Conformance server listening on port " + server.port());
		server.server.onDispose().block();
	}

}
