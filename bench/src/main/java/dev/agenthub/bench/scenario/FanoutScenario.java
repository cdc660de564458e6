package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.Agent;
import dev.agenthub.bench.client.Browser;
import dev.agenthub.bench.client.PublishClient;
import dev.agenthub.bench.client.RateDriver;
import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import dev.agenthub.bench.metrics.Latency;
import reactor.core.publisher.Mono;

/**
 * Fan-out: one publisher (the publish API, requests pipelined over a connection pool) to
 * N subscribers of one channel. Steps through fixed publish rates, then runs "as fast as
 * the in-flight bound allows"; per step: delivered events/s, loss, latency.
 */
public final class FanoutScenario implements Scenario {

	/** Subscribers that share one user. */
	static final int SUBSCRIBERS_PER_USER = 500;

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		int subscribers = o.integer("subscribers", 1000);
		List<Integer> rates = o.integers("rates", "100,200,300,500");
		boolean max = Boolean.parseBoolean(o.string("max", "true"));
		Duration step = o.duration("step", "10s");
		int payload = o.integer("payload-bytes", 100);
		int inFlight = o.integer("in-flight", 64);
		String workspace = "bench-fanout-" + System.currentTimeMillis();
		String channel = "workspace:" + workspace;
		Tokens tokens = new Tokens(o.secret());
		// a user per 500 subscribers: within the hub's connections per subject (1,000 by
		// default) at any --subscribers, and few presence changes
		String[] tokensByUser = new String[(subscribers + SUBSCRIBERS_PER_USER - 1) / SUBSCRIBERS_PER_USER];
		for (int u = 0; u < tokensByUser.length; u++) {
			tokensByUser[u] = tokens.user("bench-fanout-" + u, List.of(workspace));
		}
		String via = o.string("publisher", "api");
		Target target = Target.from(o);
		LongFunction<Mono<Boolean>> publish;
		if ("agent".equals(via)) {
			// one agent of the channel's workspace writing tab output over several tabs
			// (the agent service merges a tab's chunks while a publish is in flight;
			// chunks are counted, not events)
			int tabs = o.integer("tabs", 16);
			Agent agent = target.agent(tokens.agent("bench-fanout-agent", workspace), workspace, null)
				.get(30, TimeUnit.SECONDS);
			publish = (seq) -> Mono.just(agent.tabOutput("t" + (seq % tabs), Payloads.chunk(payload)));
		}
		else if ("api".equals(via)) {
			PublishClient publisher = new PublishClient(target.publishUrl(), tokens.service(), inFlight);
			publish = (seq) -> publisher.publish(channel, "bench", Payloads.stamped(payload, seq));
		}
		else {
			throw new IllegalArgumentException("--publisher must be api or agent");
		}

		LongAdder received = new LongAdder();
		LongAdder events = new LongAdder();
		AtomicLong lastReceive = new AtomicLong();
		Latency latency = new Latency();
		java.util.function.Consumer<io.netty.buffer.ByteBuf> listener = (frame) -> {
			long now = Latency.nowMicros();
			long ts = Frames.longAfter(frame, Frames.TS);
			if (ts > 0) {
				latency.record(ts, now);
				received.increment();
			}
			else {
				received.add(Frames.markers(frame, (sent) -> latency.record(sent, now)));
			}
			events.increment();
			lastReceive.set(System.nanoTime());
		};
		AtomicLong failures = new AtomicLong();
		long t0 = System.nanoTime();
		List<Browser> sessions = Sessions.open(subscribers, 100, Duration.ofSeconds(30),
				(i) -> target.browser(i, tokensByUser[i / SUBSCRIBERS_PER_USER], null, listener)
					.thenCompose((s) -> s.subscribeReply(channel, null, 0).thenApply((r) -> s)),
				failures);
		double connectSeconds = (System.nanoTime() - t0) / 1e9;
		System.err.printf("fanout: %d subscribed (%d failed) in %.1f s%n", sessions.size(), failures.get(),
				connectSeconds);
		// warm-up: JIT on both sides
		RateDriver.run(50, Duration.ofSeconds(3), inFlight, publish);
		Sessions.pause(Duration.ofSeconds(2));

		List<Map<String, Object>> steps = new ArrayList<>();
		List<Integer> all = new ArrayList<>(rates);
		if (max) {
			all.add(0);
		}
		for (int rate : all) {
			latency.reset();
			received.reset();
			events.reset();
			long start = System.nanoTime();
			Map<String, Object> pub = RateDriver.run(rate, step, inFlight, publish);
			long expected = (long) pub.get("ok") * sessions.size();
			long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (received.sum() < expected && System.nanoTime() < drainUntil) {
				Thread.sleep(20);
			}
			long got = received.sum();
			double seconds = Math.max(1e-3, (lastReceive.get() - start) / 1e9);
			long open = sessions.stream().filter((s) -> !s.conn().closed().isDone()).count();
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("publishRateTarget", (rate == 0) ? "max" : rate);
			result.put("publish", pub);
			result.put("expectedDeliveries", expected);
			result.put("delivered", got);
			result.put("lost", expected - got);
			result.put("deliveredPerSecond", Math.round(got / seconds));
			result.put("eventFramesPerSecond", Math.round(events.sum() / seconds));
			result.put("offeredDeliveriesPerSecond", (rate == 0) ? null : (long) rate * sessions.size());
			result.put("latency", latency.summary());
			result.put("subscribersStillOpen", open);
			steps.add(result);
			System.err.println("fanout step: " + result);
			Sessions.pause(Duration.ofSeconds(2));
		}
		sessions.forEach(Browser::close);

		Outcome out = new Outcome();
		out.metrics().put("subscribers", sessions.size());
		out.metrics().put("subscribeFailures", failures.get());
		out.metrics().put("connectSeconds", connectSeconds);
		out.metrics().put("payloadBytes", payload);
		out.metrics().put("publisher", via);
		out.metrics().put("steps", steps);
		Map<String, Object> best = null;
		for (Map<String, Object> s : steps) {
			boolean clean = ((long) s.get("lost")) == 0 && ((long) ((Map<?, ?>) s.get("publish")).get("dropped")) == 0
					&& ((long) ((Map<?, ?>) s.get("publish")).get("failed")) == 0;
			if (clean && (best == null || (long) s.get("deliveredPerSecond") > (long) best.get("deliveredPerSecond"))) {
				best = s;
			}
		}
		out.metrics().put("maxSustainable", best);
		out.metrics().put("target", target.name());
		out.row("subscribers (publisher: " + via + ", target " + target.name() + ")", sessions.size(), "1,000");
		for (Map<String, Object> s : steps) {
			Map<?, ?> lat = (Map<?, ?>) s.get("latency");
			String r = s.get("publishRateTarget") + "/s";
			out.key(r + ": p50 ms", (Number) lat.get("p50Ms"));
			out.key(r + ": p99 ms", (Number) lat.get("p99Ms"));
			out.key(r + ": lost", (Number) s.get("lost"));
			out.key(r + ": publishes dropped+failed", (long) ((Map<?, ?>) s.get("publish")).get("dropped")
					+ (long) ((Map<?, ?>) s.get("publish")).get("failed"));
			out.key(r + ": delivered/s", (Number) s.get("deliveredPerSecond"));
		}
		for (Map<String, Object> s : steps) {
			Map<?, ?> lat = (Map<?, ?>) s.get("latency");
			out.row("publish " + s.get("publishRateTarget") + "/s: delivered/s (lost)",
					s.get("deliveredPerSecond") + " (" + s.get("lost") + ")", "≥ 300,000");
			out.row("publish " + s.get("publishRateTarget") + "/s: latency p50 / p99 / p999 ms",
					lat.get("p50Ms") + " / " + lat.get("p99Ms") + " / " + lat.get("p999Ms"), "");
		}
		out.row("max sustainable delivered/s (no loss, no drop)",
				(best != null) ? best.get("deliveredPerSecond") : "none", "≥ 300,000");
		return out;
	}

}
