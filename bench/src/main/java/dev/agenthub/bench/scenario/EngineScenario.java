package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.metrics.Latency;
import dev.agenthub.broker.Broker;
import dev.agenthub.broker.redis.RedisBroker;
import dev.agenthub.broker.redis.RedisBrokerOptions;
import dev.agenthub.contracts.codec.HubJson;
import dev.agenthub.testsupport.RedisClusterFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The channel engine alone, without gateways or HTTP: publish throughput and fan-out on
 * one Redis ({@code --engine=redis}) or a Redis Cluster ({@code --engine=redis-cluster},
 * {@code --cluster-nodes=host:port,...}, or {@code start} for three masters and three
 * replicas started from the local {@code redis-server}). One publisher node publishes to
 * {@code --channels} channels with {@code --in-flight} publishes outstanding; each of
 * {@code --nodes} subscriber nodes (own connections, as gateways have) subscribes to
 * every channel. Measured after {@code --warmup}, for {@code --duration}: acknowledged
 * publishes/s, deliveries/s, publish round trip and publish-to-delivery latency.
 */
public final class EngineScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions options) throws Exception {
		String engine = options.string("engine", "redis");
		int channels = options.integer("channels", 64);
		int nodes = options.integer("nodes", 4);
		int inFlight = options.integer("in-flight", 64);
		int partitions = options.integer("partitions", 16);
		int payload = options.integer("payload", 200);
		Duration warmup = options.duration("warmup", "3s");
		Duration duration = options.duration("duration", "10s");
		String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
		List<AutoCloseable> resources = new ArrayList<>();
		try {
			List<Broker> brokers = new ArrayList<>();
			if ("redis-cluster".equals(engine)) {
				String seeds = options.string("cluster-nodes", "start");
				List<RedisURI> uris;
				if ("start".equals(seeds)) {
					RedisClusterFixture.Cluster cluster = RedisClusterFixture.startPrivate();
					resources.add(cluster);
					uris = cluster.uris();
				}
				else {
					uris = new ArrayList<>();
					for (String node : seeds.split(",")) {
						String[] hostPort = node.trim().split(":");
						uris.add(RedisURI.create(hostPort[0], Integer.parseInt(hostPort[1])));
					}
				}
				RedisBrokerOptions brokerOptions = RedisBrokerOptions.defaults()
					.withKeyPrefix(prefix)
					.withPartitions(partitions);
				for (int i = 0; i <= nodes; i++) {
					RedisClusterClient client = RedisClusterClient.create(uris);
					resources.add(0, client::shutdown);
					brokers.add(new RedisBroker(client.connect(), client.connectPubSub(), brokerOptions));
				}
			}
			else if ("redis".equals(engine)) {
				String url = options.string("redis", "redis://127.0.0.1:6379");
				RedisBrokerOptions brokerOptions = RedisBrokerOptions.defaults().withKeyPrefix(prefix);
				for (int i = 0; i <= nodes; i++) {
					RedisClient client = RedisClient.create(url);
					resources.add(0, client::shutdown);
					brokers.add(new RedisBroker(client.connect(), client.connectPubSub(), brokerOptions));
				}
			}
			else {
				throw new IllegalArgumentException("--engine is redis or redis-cluster");
			}
			return measure(brokers, channels, inFlight, payload, warmup, duration, engine);
		}
		finally {
			for (AutoCloseable resource : resources) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					// best effort: the run's figures are already taken
				}
			}
		}
	}

	private Outcome measure(List<Broker> brokers, int channels, int inFlight, int payload, Duration warmup,
			Duration duration, String engine) {
		Broker publisher = brokers.get(0);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < channels; i++) {
			names.add("workspace:bench-" + i);
		}
		AtomicBoolean measuring = new AtomicBoolean();
		AtomicLong delivered = new AtomicLong();
		Latency deliveryLatency = new Latency();
		List<Disposable> registrations = new ArrayList<>();
		for (Broker node : brokers.subList(1, brokers.size())) {
			for (String name : names) {
				registrations.add(node.subscribe(name, (publication) -> {
					if (measuring.get()) {
						delivered.incrementAndGet();
						deliveryLatency.record(publication.event().data().get("ts").asLong(), Latency.nowMicros());
					}
				}).block(Duration.ofSeconds(10)));
			}
		}
		String pad = "x".repeat(payload);
		AtomicLong published = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		Latency publishLatency = new Latency();
		long end = System.nanoTime() + warmup.toNanos() + duration.toNanos();
		long[] measuredFrom = { 0 };
		Flux.range(0, Integer.MAX_VALUE).takeWhile((i) -> System.nanoTime() < end).flatMap((i) -> {
			long sent = Latency.nowMicros();
			JsonNode data = HubJson.parse("{\"ts\":" + sent + ",\"seq\":" + i + ",\"pad\":\"" + pad + "\"}");
			return publisher.publish(names.get(i % names.size()), "bench", data).doOnNext((p) -> {
				if (measuring.get()) {
					published.incrementAndGet();
					publishLatency.record(sent, Latency.nowMicros());
				}
			}).onErrorResume((ex) -> {
				failed.incrementAndGet();
				return Mono.empty();
			});
		}, inFlight).doOnSubscribe((s) -> Mono.delay(warmup).subscribe((tick) -> {
			measuredFrom[0] = System.nanoTime();
			measuring.set(true);
		})).blockLast(warmup.plus(duration).plusSeconds(60));
		double seconds = (System.nanoTime() - measuredFrom[0]) / 1e9;
		measuring.set(false);
		registrations.forEach(Disposable::dispose);
		Outcome outcome = new Outcome();
		outcome.metrics().put("engine", engine);
		outcome.metrics().put("publishesPerSecond", Math.round(published.get() / seconds));
		outcome.metrics().put("deliveriesPerSecond", Math.round(delivered.get() / seconds));
		outcome.metrics().put("failedPublishes", failed.get());
		outcome.metrics().put("publishRoundTrip", publishLatency.summary());
		outcome.metrics().put("publishToDelivery", deliveryLatency.summary());
		outcome.row("engine", engine, "")
			.row("publishes/s (acknowledged)", Math.round(published.get() / seconds), "")
			.row("deliveries/s (" + (brokers.size() - 1) + " subscriber nodes)", Math.round(delivered.get() / seconds),
					"")
			.row("publish round trip p50 / p99 ms",
					publishLatency.summary().get("p50Ms") + " / " + publishLatency.summary().get("p99Ms"), "")
			.row("publish to delivery p50 / p99 ms",
					deliveryLatency.summary().get("p50Ms") + " / " + deliveryLatency.summary().get("p99Ms"), "")
			.row("failed publishes", failed.get(), "0");
		return outcome;
	}

}
