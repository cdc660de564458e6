package dev.agenthub.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.agenthub.bench.BenchOptions;
import dev.agenthub.bench.client.Agent;
import dev.agenthub.bench.client.Browser;
import dev.agenthub.bench.client.Target;
import dev.agenthub.bench.client.Tokens;
import dev.agenthub.bench.metrics.Frames;
import dev.agenthub.bench.metrics.Latency;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * One agent streaming tab output to a few browsers of its workspace (issue 14's first
 * rows): per rate ({@code --rates}, chunks/s, default 1000,3000) a fresh workspace, N
 * browsers ({@code --browsers}, 10) subscribed, one agent writing stamped chunks evenly
 * (a 1 ms ticker) for {@code --duration} (10s) after a warm-up. Reports per-chunk latency
 * p50/p99, deliveries expected and lost, and how the agent's connection ended (close
 * code, error events) — a server that closes a fast agent loses what it would have sent.
 */
public final class LatencyScenario implements Scenario {

	@Override
	public Outcome run(BenchOptions o) throws Exception {
		Target target = Target.from(o);
		List<Integer> rates = o.integers("rates", "1000,3000");
		int browsers = o.integer("browsers", 10);
		Duration duration = o.duration("duration", "10s");
		// long enough at the full rate for the JIT: a fresh server measured after a short
		// warm-up showed twice its warm p50 (whichever target ran first after a start)
		Duration warmup = o.duration("warmup", "5s");
		int chunkBytes = o.integer("chunk-bytes", 100);
		Tokens tokens = new Tokens(o.secret());
		String prefix = "bench-lat-" + System.currentTimeMillis() + "-";
		Outcome out = new Outcome();
		List<Map<String, Object>> steps = new ArrayList<>();
		for (int rate : rates) {
			Map<String, Object> step = step(target, tokens, prefix + rate, rate, browsers, duration, warmup,
					chunkBytes);
			steps.add(step);
			System.err.println("latency step: " + step);
			Map<?, ?> lat = (Map<?, ?>) step.get("latency");
			out.key(rate + " chunks/s: p50 ms", (Number) lat.get("p50Ms"));
			out.key(rate + " chunks/s: p99 ms", (Number) lat.get("p99Ms"));
			out.key(rate + " chunks/s: lost deliveries", (Number) step.get("lost"));
			out.key(rate + " chunks/s: agent close code (-1 open)", (Number) step.get("agentCloseCode"));
			out.row(rate + " chunks/s → " + browsers + " browsers: p50 / p99 ms",
					lat.get("p50Ms") + " / " + lat.get("p99Ms"), "p50 ≤ 1, p99 ≤ 10");
			out.row(rate + " chunks/s: delivered (lost); agent close code",
					step.get("delivered") + " (" + step.get("lost") + "); " + step.get("agentCloseCode"), "0 lost");
		}
		out.metrics().put("target", target.name());
		out.metrics().put("steps", steps);
		return out;
	}

	private Map<String, Object> step(Target target, Tokens tokens, String workspace, int rate, int browserCount,
			Duration duration, Duration warmup, int chunkBytes) throws Exception {
		LongAdder received = new LongAdder();
		Latency latency = new Latency();
		String channel = "workspace:" + workspace;
		String userToken = tokens.user("bench-lat-viewer", List.of(workspace));
		List<Browser> browsers = new ArrayList<>();
		for (int i = 0; i < browserCount; i++) {
			Browser b = target.browser(i, userToken, null, (frame) -> {
				long now = Latency.nowMicros();
				received.add(Frames.markers(frame, (sent) -> latency.record(sent, now)));
			}).get(30, TimeUnit.SECONDS);
			b.subscribeReply(channel, null, 0).get(30, TimeUnit.SECONDS);
			browsers.add(b);
		}
		Agent agent = target.agent(tokens.agent("bench-lat-agent-" + workspace, workspace), workspace, "127.0.0.41")
			.get(30, TimeUnit.SECONDS);
		AtomicLong sent = new AtomicLong();
		AtomicLong notQueued = new AtomicLong();
		// warm-up at the rate, then measure from zero
		drive(agent, rate, warmup, chunkBytes, sent, notQueued);
		Sessions.pause(Duration.ofSeconds(1));
		latency.reset();
		received.reset();
		sent.set(0);
		notQueued.set(0);
		long t0 = System.nanoTime();
		drive(agent, rate, duration, chunkBytes, sent, notQueued);
		double seconds = (System.nanoTime() - t0) / 1e9;
		long open = browsers.stream().filter((b) -> !b.conn().closed().isDone()).count();
		// offered, not merely accepted: a chunk the agent could not send (its connection
		// closed, its queue full) is lost to every browser
		long expected = (sent.get() + notQueued.get()) * browserCount;
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (received.sum() < expected && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("chunksPerSecondTarget", rate);
		s.put("browsers", browserCount);
		s.put("browsersOpenAtEnd", open);
		s.put("seconds", Math.round(seconds * 10) / 10.0);
		s.put("chunkBytes", chunkBytes);
		s.put("chunksSent", sent.get());
		s.put("chunksNotQueued", notQueued.get());
		s.put("chunksSentPerSecond", Math.round(sent.get() / seconds));
		s.put("expectedDeliveries", expected);
		s.put("delivered", received.sum());
		s.put("lost", Math.max(0, expected - received.sum()));
		boolean agentClosed = agent.conn().closed().isDone();
		s.put("agentCloseCode", agentClosed ? agent.conn().closed().getNow(-1) : -1);
		s.put("agentErrorEvents", agent.errors());
		s.put("latency", latency.summary());
		agent.close();
		browsers.forEach(Browser::close);
		Sessions.pause(Duration.ofSeconds(1));
		return s;
	}

	/** Writes {@code rate} chunks/s evenly (a 1 ms ticker) for {@code duration}. */
	private static void drive(Agent agent, int rate, Duration duration, int chunkBytes, AtomicLong sent,
			AtomicLong notQueued) throws InterruptedException {
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		AtomicLong due = new AtomicLong();
		Disposable ticker = Flux.interval(Duration.ofMillis(1)).subscribe((tick) -> {
			long now = System.nanoTime();
			long shouldHave = (long) ((Math.min(now, end) - start) / 1e9 * rate);
			while (due.get() < shouldHave) {
				due.incrementAndGet();
				if (agent.conn().closed().isDone()) {
					notQueued.incrementAndGet();
				}
				else if (agent.tabOutput("t1", Payloads.chunk(chunkBytes))) {
					sent.incrementAndGet();
				}
				else {
					notQueued.incrementAndGet();
				}
			}
		});
		Thread.sleep(duration.toMillis() + 20);
		ticker.dispose();
	}

}
