package dev.agenthub.gateway.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import dev.agenthub.broker.Broker;
import dev.agenthub.broker.Publication;
import dev.agenthub.contracts.event.HubEvent;
import dev.agenthub.support.auth.WarmUpPass;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
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
 * storm (a dead gateway's clients, all at once) spends a third of its CPU in the JIT
 * compilers and resumes far slower than one of a running fleet. So once the server
 * listens, it publishes an event to each of the warm-up's own channels and a few to its
 * shared one, and serves its own loopback clients, half raw and half Socket.IO, the way
 * resuming browsers come: authenticated, subscribed with a resume point to a channel of
 * their own and to the shared one (the events replayed, the shared channel kept live
 * meanwhile), Socket.IO clients then dropping their transport and recovering their
 * session by {@code pid}. Until that is done, or {@code timeout} has passed, this health
 * indicator ({@code warmUp}) reports {@code OUT_OF_SERVICE}; the readiness group of a
 * gateway behind a load balancer includes it.
 * <p>
 * The clients present a {@link WarmUpPass}: a token signed with a key that exists only in
 * this process and only during the warm-up, which sees only the warm-up's workspaces.
 */
public final class GatewayWarmUp implements ApplicationListener<ApplicationReadyEvent>, HealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(GatewayWarmUp.class);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	/** How long a Socket.IO client waits before it reconnects to recover its session. */
	private static final Duration RECONNECT_DELAY = Duration.ofMillis(20);

	/** How many more clients failing than served end the warm-up. */
	static final int GIVE_UP_AFTER = 32;

	/** How often the shared channel gets an event while the clients come and go. */
	private static final Duration LIVE_INTERVAL = Duration.ofMillis(250);

	private final WarmUpProperties properties;

	private final int connections;

	private final WarmUpPass pass;

	/** Clients in flight at once. */
	private final int concurrency;

	private final Broker broker;

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	/** Socket.IO clients whose second connection recovered their session by pid. */
	private final AtomicInteger recovered = new AtomicInteger();

	private volatile boolean done;

	private volatile long tookMillis = -1;

	/**
	 * @param properties the warm-up's settings
	 * @param connections the clients to serve (0: none, ready at once)
	 * @param concurrency the clients in flight at once
	 * @param pass the pass the clients present
	 * @param broker the engine, to publish the events the clients' resumes replay
	 */
	public GatewayWarmUp(WarmUpProperties properties, int connections, int concurrency, WarmUpPass pass,
			Broker broker) {
		this.properties = properties;
		this.connections = connections;
		this.concurrency = concurrency;
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
			logger.info("Warm-up: {} loopback clients served ({} failed, {} Socket.IO sessions recovered) in {} ms",
					this.served.get(), this.failed.get(), this.recovered.get(), this.tookMillis);
		}).subscribe(null, (ex) -> logger.warn("Warm-up ended early: {}", ex.toString()));
	}

	/**
	 * Publishes one event to each own channel and a few to the shared one, then serves
	 * the clients while a publisher keeps the shared channel live; completes when all
	 * clients are done.
	 */
	Mono<Void> run(int port) {
		String token = this.pass.open(Instant.now().plus(this.properties.timeout()));
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		Positions positions = new Positions(WarmUpPass.CHANNELS, this.properties.events());
		Mono<Void> ownChannels = Flux.range(0, WarmUpPass.CHANNELS)
			.flatMap((i) -> publish(WarmUpPass.channel(i), i).doOnNext((event) -> positions.own(i, event)), 8)
			.then();
		Mono<Void> shared = Flux.range(0, Math.max(1, this.properties.events()))
			.concatMap((i) -> publish(WarmUpPass.SHARED_CHANNEL, i))
			.doOnNext(positions::shared)
			.then();
		// failures less the clients served since (not below 0)
		AtomicInteger failing = new AtomicInteger();
		AtomicBoolean gaveUp = new AtomicBoolean();
		Mono<Void> clients = Flux.range(0, this.connections)
			.flatMap((i) -> client(http, port, token, positions, i).doOnSuccess((ignored) -> {
				this.served.incrementAndGet();
				failing.updateAndGet((n) -> Math.max(0, n - 1));
			}).onErrorResume((ex) -> {
				if (this.failed.incrementAndGet() == 1) {
					logger.debug("Warm-up client failed: {}", ex.toString());
				}
				// what fails this many more clients than it lets through (the engine
				// gone, the pass refused) fails the rest: each would cost the node a
				// refused connect and a line of its log. One client says so: the others
				// failing meanwhile end after the clients were cancelled, where an error
				// would be dropped unhandled.
				return (failing.incrementAndGet() < GIVE_UP_AFTER || !gaveUp.compareAndSet(false, true)) ? Mono.empty()
						: Mono.error(new IllegalStateException(
								GIVE_UP_AFTER + " more clients failed than were served, the last: " + ex.getMessage()));
			}), this.concurrency)
			.then();
		// the shared channel stays live while the clients come and go, as a crowd's does
		Mono<Void> live = Flux.interval(LIVE_INTERVAL)
			.onBackpressureDrop()
			.concatMap((i) -> publish(WarmUpPass.SHARED_CHANNEL, i.intValue()).doOnNext(positions::shared), 1)
			.then();
		return ownChannels.then(shared)
			.then(Mono.firstWithSignal(clients, live.onErrorResume((ex) -> Mono.never())))
			.timeout(this.properties.timeout());
	}

	private Mono<HubEvent> publish(String channel, int n) {
		return this.broker.publish(channel, "hub.warmUp", JsonNodeFactory.instance.objectNode().put("n", n))
			.map(Publication::event);
	}

	/**
	 * One client, as a resuming browser is: every other one raw ({@code subscribe} with
	 * {@code since} to its own channel and the shared one), the others Socket.IO (the
	 * same with acks, then a dropped transport and a reconnect that recovers by
	 * {@code pid} and offset).
	 */
	private Mono<Void> client(HttpClient http, int port, String token, Positions positions, int i) {
		String own = positions.subscribe(WarmUpPass.channel(i % WarmUpPass.CHANNELS), i % WarmUpPass.CHANNELS);
		String shared = positions.subscribe(WarmUpPass.SHARED_CHANNEL, -1);
		Mono<Void> client;
		if (i % 2 == 0) {
			client = websocket(http, "ws://127.0.0.1:" + port + "/ws?subscribe=none&token=" + token, (in, out) -> {
				AtomicInteger subscribed = new AtomicInteger();
				return out.sendString(Mono.just(rawSubscribe(own)))
					.then()
					.thenMany(in.receive().asString().concatMap((frame) -> {
						if (frame.contains("\"type\":\"error\"")) {
							return Mono.error(new IllegalStateException("warm-up refused: " + frame));
						}
						if (frame.contains("\"type\":\"subscribed\"") && subscribed.incrementAndGet() == 1) {
							return out.sendString(Mono.just(rawSubscribe(shared))).then().thenReturn(frame);
						}
						return Mono.just(frame);
					}).takeUntil((frame) -> subscribed.get() == 2))
					.then(out.sendClose());
			});
		}
		else {
			SocketIoVisit first = new SocketIoVisit(token, null, null, own, shared);
			client = websocket(http, socketIoUri(port), first::handle).then(Mono.defer(() -> {
				if (first.pid == null || first.offset == null) {
					return Mono.empty();
				}
				SocketIoVisit again = new SocketIoVisit(token, first.pid, first.offset, null, null);
				// the session's resume record is written when its transport closes: a
				// moment for that, as a client's reconnect takes
				return Mono.delay(RECONNECT_DELAY)
					.then(websocket(http, socketIoUri(port), again::handle))
					.doOnSuccess((ignored) -> {
						if (first.pid.equals(again.pid)) {
							this.recovered.incrementAndGet();
						}
					});
			}));
		}
		return client.timeout(CLIENT_TIMEOUT);
	}

	private static String rawSubscribe(String subscription) {
		return "{\"type\":\"subscribe\",\"data\":" + subscription + "}";
	}

	private static String socketIoUri(int port) {
		return "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket";
	}

	private static Mono<Void> websocket(HttpClient http, String uri,
			BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<Void>> handler) {
		return http.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
			.uri(uri)
			.handle(handler)
			.then();
	}

	/**
	 * One Socket.IO connection of a warm-up client: CONNECT (with {@code pid} and offset
	 * when it recovers), then, unless recovering, {@code subscribe} to both channels with
	 * an ack each; it remembers its {@code pid} and the offset of the last event it got,
	 * and ends by dropping the transport (which keeps the session recoverable).
	 */
	static final class SocketIoVisit {

		private final String auth;

		private final @Nullable String own;

		private final @Nullable String shared;

		private boolean acked;

		volatile @Nullable String pid;

		volatile @Nullable String offset;

		SocketIoVisit(String token, @Nullable String pid, @Nullable String offset, @Nullable String own,
				@Nullable String shared) {
			this.auth = "{\"token\":\"" + token + "\",\"subscribe\":false"
					+ ((pid != null) ? ",\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"" : "") + "}";
			this.own = own;
			this.shared = shared;
		}

		Publisher<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
			return in.receive().asString().concatMap((frame) -> {
				if (frame.startsWith("0{")) {
					return out.sendString(Mono.just("40" + this.auth)).then().thenReturn(frame);
				}
				if (frame.startsWith("40")) {
					this.pid = field(frame, "\"pid\":\"");
					return (this.own != null)
							? out.sendString(Mono.just("420[\"subscribe\"," + this.own + "]")).then().thenReturn(frame)
							: Mono.just(frame);
				}
				if (frame.startsWith("430") && this.shared != null) {
					return out.sendString(Mono.just("421[\"subscribe\"," + this.shared + "]")).then().thenReturn(frame);
				}
				if (frame.startsWith("42[") && frame.endsWith("\"]")) {
					int last = frame.lastIndexOf(",\"");
					this.offset = (last > 0) ? frame.substring(last + 2, frame.length() - 2) : this.offset;
				}
				if (frame.startsWith("44")) {
					return Mono.error(new IllegalStateException("warm-up refused: " + frame));
				}
				return Mono.just(frame);
			})
				// subscribed to both, and an event seen to resume from (the own channel's
				// replay brings one); a recovering connection ends once it is back
				.takeUntil((frame) -> (this.own != null)
						? (this.acked |= frame.startsWith("431")) && this.offset != null : frame.startsWith("40"))
				.then(out.sendClose());
		}

		private static @Nullable String field(String frame, String key) {
			int from = frame.indexOf(key);
			if (from < 0) {
				return null;
			}
			int end = frame.indexOf('"', from + key.length());
			return (end < 0) ? null : frame.substring(from + key.length(), end);
		}

	}

	/**
	 * Where each warm-up channel stands: a client's resume point is a little behind it,
	 * so that its subscription replays what it "missed".
	 */
	static final class Positions {

		private final String[] epochs;

		private final long[] offsets;

		private final int replay;

		private volatile @Nullable HubEvent shared;

		Positions(int channels, int replay) {
			this.epochs = new String[channels];
			this.offsets = new long[channels];
			this.replay = replay;
		}

		synchronized void own(int i, HubEvent event) {
			this.epochs[i] = event.epoch();
			this.offsets[i] = event.offset();
		}

		void shared(HubEvent event) {
			this.shared = event;
		}

		/** The subscribe payload for a channel (own: index; shared: -1), with since. */
		synchronized String subscribe(String channel, int own) {
			HubEvent last = this.shared;
			String epoch = (own >= 0) ? this.epochs[own] : (last != null) ? last.epoch() : null;
			long offset = (own >= 0) ? this.offsets[own] - 1 : (last != null) ? last.offset() - this.replay : 0;
			String since = (epoch != null)
					? ",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":" + Math.max(0, offset) + "}" : "";
			return "{\"channel\":\"" + channel + "\"" + since + "}";
		}

	}

	@Override
	public Health health() {
		Health.Builder health = this.done ? Health.up() : Health.outOfService();
		health.withDetail("clients", this.served.get())
			.withDetail("of", this.connections)
			.withDetail("socketIoRecovered", this.recovered.get());
		if (this.failed.get() > 0) {
			health.withDetail("failed", this.failed.get());
		}
		if (this.tookMillis >= 0) {
			health.withDetail("tookMillis", this.tookMillis);
		}
		return health.build();
	}

}
