package dev.agenthub.gateway.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.support.auth.WarmUpPass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Warms the gateway before it reports ready. A JVM that has served nothing runs its code
 * interpreted and compiles it while it serves: a fresh gateway that meets a reconnect
 * storm (a dead gateway's clients, all at once) spends a fifth of its CPU in the JIT
 * compilers and resumes half as fast as one of a running fleet. So once the server
 * listens, it publishes a few events to the {@value WarmUpPass#WORKSPACE} workspace's
 * channel and serves its own loopback clients, half raw and half Socket.IO, each
 * authenticated, subscribed with a resume point (the events replayed) and closed: the
 * paths a resuming client takes. Until that is done, or {@code timeout} has passed, this
 * health indicator ({@code warmUp}) reports {@code OUT_OF_SERVICE}; the readiness group
 * of a gateway that takes traffic through a load balancer includes it.
 * <p>
 * The clients present a {@link WarmUpPass}: a random pass that exists only in this
 * process and only during the warm-up, and sees only the warm-up workspace.
 */
public final class GatewayWarmUp implements ApplicationListener<ApplicationReadyEvent>, HealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(GatewayWarmUp.class);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	private static final String CHANNEL = "workspace:" + WarmUpPass.WORKSPACE;

	private final WarmUpProperties properties;

	private final int connections;

	private final WarmUpPass pass;

	private final Broker broker;

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private volatile boolean done;

	private volatile long tookMillis = -1;

	/**
	 * @param properties the warm-up's settings
	 * @param connections the clients to serve (0: none, ready at once)
	 * @param pass the pass the clients present
	 * @param broker the engine, to publish the events the clients' resumes replay
	 */
	public GatewayWarmUp(WarmUpProperties properties, int connections, WarmUpPass pass, Broker broker) {
		this.properties = properties;
		this.connections = connections;
		this.pass = pass;
		this.broker = broker;
		this.done = connections <= 0;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.done || !(event.getApplicationContext() instanceof WebServerApplicationContext web)
				|| web.getWebServer() == null) {
			this.done = true;
			return;
		}
		int port = web.getWebServer().getPort();
		long start = System.nanoTime();
		run(port).doFinally((signal) -> {
			this.pass.close();
			this.tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
			this.done = true;
			logger.info("Warm-up: {} loopback clients served ({} failed) in {} ms", this.served.get(),
					this.failed.get(), this.tookMillis);
		}).subscribe(null, (ex) -> logger.warn("Warm-up ended early: {}", ex.toString()));
	}

	/** Publishes the events, then serves the clients; completes when all are done. */
	Mono<Void> run(int port) {
		String token = this.pass.open(Instant.now().plus(this.properties.timeout()));
		ConnectionProvider pool = ConnectionProvider.newConnection();
		HttpClient http = HttpClient.create(pool);
		return Flux.range(0, Math.max(1, this.properties.events()))
			.concatMap((i) -> this.broker.publish(CHANNEL, "hub.warmUp",
					JsonNodeFactory.instance.objectNode().put("n", i)))
			.last()
			.map(Publication::event)
			.flatMap((last) -> {
				String since = ",\"since\":{\"epoch\":\"" + last.epoch() + "\",\"offset\":"
						+ Math.max(0, last.offset() - this.properties.events()) + "}";
				String subscribe = "{\"channel\":\"" + CHANNEL + "\"" + since + "}";
				return Flux.range(0, this.connections)
					.flatMap((i) -> client(http, port, token, subscribe, i % 2 == 0)
						.doOnSuccess((ignored) -> this.served.incrementAndGet())
						.onErrorResume((ex) -> {
							if (this.failed.incrementAndGet() == 1) {
								logger.debug("Warm-up client failed: {}", ex.toString());
							}
							return Mono.empty();
						}), this.properties.concurrency())
					.then();
			})
			.timeout(this.properties.timeout());
	}

	/**
	 * One client: connects, authenticates, subscribes with the resume point and closes
	 * once the subscription is confirmed.
	 */
	private static Mono<Void> client(HttpClient http, int port, String token, String subscribe, boolean raw) {
		String uri = raw ? "ws://127.0.0.1:" + port + "/ws?subscribe=none&token=" + token
				: "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket";
		return http.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
			.uri(uri)
			.handle((in, out) -> {
				Flux<String> frames = in.receive().asString();
				if (raw) {
					Mono<Void> subscribed = frames.handle((String frame, SynchronousSink<String> sink) -> {
						if (frame.contains("\"type\":\"subscribed\"")) {
							sink.next(frame);
						}
						else if (frame.contains("\"type\":\"error\"")) {
							sink.error(new IllegalStateException("warm-up refused: " + frame));
						}
					}).next().then();
					return out.sendString(Mono.just("{\"type\":\"subscribe\",\"data\":" + subscribe + "}"))
						.then()
						.then(subscribed)
						.then(out.sendClose());
				}
				// Engine.IO open → Socket.IO CONNECT with the pass → subscribe with an
				// ack
				return frames.concatMap((frame) -> {
					if (frame.startsWith("0{")) {
						return out.sendString(Mono.just("40{\"token\":\"" + token + "\",\"subscribe\":false}"))
							.then()
							.thenReturn(frame);
					}
					if (frame.startsWith("40")) {
						return out.sendString(Mono.just("420[\"subscribe\"," + subscribe + "]"))
							.then()
							.thenReturn(frame);
					}
					if (frame.startsWith("44")) {
						return Mono.error(new IllegalStateException("warm-up refused: " + frame));
					}
					return Mono.just(frame);
				}).takeUntil((frame) -> frame.startsWith("430")).then(out.sendClose());
			})
			.then()
			.timeout(CLIENT_TIMEOUT);
	}

	@Override
	public Health health() {
		Health.Builder health = this.done ? Health.up() : Health.outOfService();
		health.withDetail("clients", this.served.get()).withDetail("of", this.connections);
		if (this.failed.get() > 0) {
			health.withDetail("failed", this.failed.get());
		}
		if (this.tookMillis >= 0) {
			health.withDetail("tookMillis", this.tookMillis);
		}
		return health.build();
	}

}
