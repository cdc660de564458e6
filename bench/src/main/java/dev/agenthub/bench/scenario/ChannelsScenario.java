package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.BrowserSession;
import dev.agenthub.bench.client.PublishClient;
import dev.agenthub.bench.client.RateDriver;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import dev.agenthub.bench.metrics.Latency;
import reactor.core.publisher.Mono;

/**
 * Many channels: N connections, each the only subscriber of its own workspace channel;
 * events published at a fixed total rate round-robin over the channels; p99 latency.
 */
public final class ChannelsScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int connections = o.integer("connections", 10_000);
		int rate = o.integer("rate", 20_000);
		Duration duration = o.duration("duration", "20s");
		int payload = o.integer("payload-bytes", 100);
		int inFlight = o.integer("in-flight", 256);
		int sources = o.integer("source-addresses", 4);
		int batch = Math.max(1, o.integer("batch", 1));
		String run = "bench-ch-" + System.currentTimeMillis() + "-";
		Tokens tokens = new Tokens(o.secret());
		PublishClient publisher = new PublishClient(o.publishUrl(), tokens.service(), inFlight);
		LongAdder received = new LongAdder();
		Latency latency = new Latency();
		BrowserSession.EventListener listener = (session, frame) -> {
			long now = Latency.nowMicros();
			long ts = Frames.longAfter(frame, Frames.TS);
			if (ts > 0) {
				latency.record(ts, now);
			}
			received.increment();
		};
		AtomicLong failures = new AtomicLong();
		long t0 = System.nanoTime();
		List<BrowserSession> sessions = Sessions.open(connections, 100, Duration.ofSeconds(60), (i) -> {
			String workspace = run + i;
			return BrowserSession
				.connect(i, o.gatewayUrl(), tokens.user("bench-ch-" + i, List.of(workspace)),
						"127.0.0." + (2 + i % sources), listener)
				.thenCompose((s) -> s.subscribe("workspace:" + workspace, null, 0).thenApply((r) -> s));
		}, failures);
		double connectSeconds = (System.nanoTime() - t0) / 1e9;
		System.err.printf("channels: %d subscribed (%d failed) in %.1f s%n", sessions.size(), failures.get(),
				connectSeconds);
		int n = sessions.size();
		int[] ids = sessions.stream().mapToInt(BrowserSession::id).toArray();
		// --batch=N: each request carries N events (POST /api/publish/batch); rates and
		// counts below are events either way
		LongFunction<Mono<Boolean>> send = (op) -> {
			if (batch == 1) {
				return publisher.publish("workspace:" + run + ids[(int) (op % n)], "bench",
						Payloads.stamped(payload, op));
			}
			List<String> channels = new ArrayList<>(batch);
			List<String> data = new ArrayList<>(batch);
			for (long seq = op * batch; seq < (op + 1) * batch; seq++) {
				channels.add("workspace:" + run + ids[(int) (seq % n)]);
				data.add(Payloads.stamped(payload, seq));
			}
			return publisher.publishBatch(channels, "bench", data);
		};
		RateDriver.run(Math.max(1, Math.min(rate, 1000) / batch), Duration.ofSeconds(3), inFlight, send::apply);
		Sessions.pause(Duration.ofSeconds(2));
		latency.reset();
		received.reset();
		Map<String, Object> pub = perEvent(RateDriver.run(Math.max(1, rate / batch), duration, inFlight, send::apply),
				batch);
		long expected = (long) pub.get("ok");
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (received.sum() < expected && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		long open = sessions.stream().filter((s) -> !s.conn().closed().isDone()).count();
		sessions.forEach(BrowserSession::close);
		Map<String, Object> lat = latency.summary();
		Outcome out = new Outcome();
		out.metrics().put("connections", n);
		out.metrics().put("connectFailures", failures.get());
		out.metrics().put("connectSeconds", connectSeconds);
		out.metrics().put("publish", pub);
		out.metrics().put("delivered", received.sum());
		out.metrics().put("lost", expected - received.sum());
		out.metrics().put("latency", lat);
		out.metrics().put("stillOpen", open);
		out.row("connections (one channel each)", n, "10,000");
		out.row("events/s published (target rate)", pub.get("achievedPerSecond") + " (" + rate + ")", "20,000");
		out.row("publishes dropped (in-flight bound reached) / failed", pub.get("dropped") + " / " + pub.get("failed"),
				"0");
		out.row("delivered / lost", received.sum() + " / " + (expected - received.sum()), "lost 0");
		out.row("latency p50 / p99 / p999 ms", lat.get("p50Ms") + " / " + lat.get("p99Ms") + " / " + lat.get("p999Ms"),
				"p99 ≤ 10");
		return out;
	}

	/** The rate driver's counts of requests as counts of events. */
	private static Map<String, Object> perEvent(Map<String, Object> requests, int batch) {
		Map<String, Object> events = new LinkedHashMap<>(requests);
		for (String key : List.of("targetPerSecond", "attempted", "ok", "failed", "dropped", "achievedPerSecond")) {
			if (events.get(key) instanceof Number number) {
				events.put(key, number.longValue() * batch);
			}
		}
		events.put("eventsPerRequest", batch);
		return events;
	}

}
