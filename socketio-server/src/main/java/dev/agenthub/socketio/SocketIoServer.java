package dev.agenthub.socketio;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.agenthub.socketio.engine.EioSessions;
import dev.agenthub.socketio.namespace.SocketIoApplication;
import dev.agenthub.socketio.parser.SioEncoder;
import dev.agenthub.socketio.parser.SioPacketType;
import dev.agenthub.socketio.transport.EngineIoWebHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.WebHandler;

/**
 * A Socket.IO v5 (Engine.IO v4) server endpoint: the namespaces it serves, their
 * handlers, and the WebFlux handler to mount at {@code /socket.io/}.
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer(SocketIoConfig.defaults(),
 *         Map.of("/", new MyNamespaceHandler()), metricsRecorder);
 * // as a bean, next to the service's other WebFlux handlers:
 * &#64;Bean HandlerMapping socketIo() { return io.handlerMapping("/socket.io/", -10); }
 * // on shutdown:
 * io.shutdown().block(Duration.ofSeconds(5));
 * }</pre>
 */
public final class SocketIoServer {

	private static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(10);

	private final AtomicBoolean shutDown = new AtomicBoolean();

	private final SocketIoConfig config;

	private final Scheduler timer;

	private final EioSessions sessions;

	private final EngineIoWebHandler webHandler;

	public SocketIoServer(SocketIoConfig config, Map<String, NamespaceHandler> namespaces, SocketIoMetrics metrics) {
		this.config = config;
		for (String namespace : namespaces.keySet()) {
			if (!namespace.startsWith("/")) {
				throw new IllegalArgumentException("namespace must start with '/': " + namespace);
			}
		}
		this.timer = Schedulers.newSingle("socketio-timer", true);
		this.sessions = new EioSessions(config, new SocketIoApplication(namespaces, metrics, this.timer), metrics,
				this.timer);
		this.webHandler = new EngineIoWebHandler(this.sessions);
	}

	public SocketIoConfig config() {
		return this.config;
	}

	/** The handler of the endpoint, for services that route requests themselves. */
	public WebHandler webHandler() {
		return this.webHandler;
	}

	/**
	 * A handler mapping serving the endpoint at {@code path} (with and without the
	 * trailing slash). Declare it as a bean; use an order before the service's other
	 * mappings.
	 */
	public HandlerMapping handlerMapping(String path, int order) {
		String withSlash = path.endsWith("/") ? path : path + "/";
		Map<String, Object> urls = new LinkedHashMap<>();
		urls.put(withSlash, this.webHandler);
		urls.put(withSlash.substring(0, withSlash.length() - 1), this.webHandler);
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(urls, order);
		return mapping;
	}

	/**
	 * Encode an event once for many sockets of {@code namespace}; send it with
	 * {@link SioSocket#send(SioPacket)}. To let clients recover, pass the event's offset
	 * (a string) as the last argument.
	 */
	public SioPacket encodeEvent(String namespace, String event, JsonNode... args) {
		return new SioPacket(namespace,
				SioEncoder.encode(SioPacketType.EVENT, namespace, null, SioEncoder.eventPayload(event, args)));
	}

	/**
	 * Like {@link #encodeEvent}, for arguments that are already JSON text (e.g. an
	 * event's {@code data} as read from the bus): the text goes on the wire as is,
	 * without parsing. Each argument must be exactly one valid JSON value (a string
	 * offset is {@code "\"17\""}); nothing checks it, so only pass JSON the service
	 * produced itself.
	 */
	public SioPacket encodeRawEvent(String namespace, String event, String... jsonArgs) {
		return new SioPacket(namespace, List.of(SioEncoder.encodeRawEvent(namespace, event, jsonArgs)));
	}

	/** Open Engine.IO sessions. */
	public int sessionCount() {
		return this.sessions.size();
	}

	/**
	 * Refuse new sessions and close every open one
	 * ({@link DisconnectReason#SERVER_SHUTDOWN}; WebSockets get what was queued first),
	 * keeping the timers for a {@link #reopen}.
	 * @return completes once the listeners' disconnects queued by the pause have run
	 */
	public Mono<Void> pause() {
		return Mono.defer(() -> {
			this.sessions.shutdown(DisconnectReason.SERVER_SHUTDOWN);
			return Mono.<Void>empty().subscribeOn(this.timer).timeout(SHUTDOWN_DRAIN).onErrorComplete();
		});
	}

	/** Takes sessions again after a {@link #pause} (a lifecycle started again). */
	public void reopen() {
		this.sessions.reopen();
	}

	/**
	 * Close every session ({@link DisconnectReason#SERVER_SHUTDOWN}; WebSockets get what
	 * was queued first) and stop the timers, for good.
	 */
	public Mono<Void> shutdown() {
		return Mono.defer(() -> {
			if (!this.shutDown.compareAndSet(false, true)) {
				return Mono.empty();
			}
			this.sessions.shutdown(DisconnectReason.SERVER_SHUTDOWN);
			// the timer runs the listeners' onDisconnect: stop it only after those queued
			// by the shutdown have run
			return Mono.<Void>empty()
				.subscribeOn(this.timer)
				.timeout(SHUTDOWN_DRAIN)
				.onErrorComplete()
				.doFinally((signal) -> this.timer.dispose());
		});
	}

}
